/* rl-dialpad.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "rl-caller-ids.h"

#include <adwaita.h>

G_BEGIN_DECLS

#define RL_TYPE_DIALPAD (rl_dialpad_get_type ())
G_DECLARE_FINAL_TYPE (RlDialpad, rl_dialpad, RL, DIALPAD, AdwBin)

void rl_dialpad_set_phone_actions (RlDialpad *self, GActionGroup *actions);
void rl_dialpad_set_caller_ids (RlDialpad *self, RlCallerIds *caller_ids);
void rl_dialpad_set_number (RlDialpad *self, const char *number);
const char *rl_dialpad_get_number (RlDialpad *self);
void rl_dialpad_append (RlDialpad *self, const char *text);
GtkWidget *rl_dialpad_get_entry (RlDialpad *self);

G_END_DECLS
