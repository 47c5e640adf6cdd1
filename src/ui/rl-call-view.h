/* rl-call-view.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "rl-call.h"

G_BEGIN_DECLS

#define RL_TYPE_CALL_VIEW (rl_call_view_get_type ())
G_DECLARE_FINAL_TYPE (RlCallView, rl_call_view, RL, CALL_VIEW, AdwBin)

void rl_call_view_set_call (RlCallView *self, RlCall *call);
RlCall *rl_call_view_get_call (RlCallView *self);
void rl_call_view_set_can_record (RlCallView *self, gboolean can_record);
void rl_call_view_set_compact (RlCallView *self, gboolean compact);
void rl_call_view_set_park_menu (RlCallView *self, GMenuModel *menu);
void rl_call_view_send_dtmf (RlCallView *self, const char *key);
const char *rl_call_view_describe_state (RlCall *call);

G_END_DECLS
