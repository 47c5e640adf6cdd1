/* rl-caller-ids.h: the numbers an agent may call from, and the chosen one.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "rl-phone.h"
#include "rl-session.h"

G_BEGIN_DECLS

#define RL_TYPE_CALLER_IDS (rl_caller_ids_get_type ())
G_DECLARE_FINAL_TYPE (RlCallerIds, rl_caller_ids, RL, CALLER_IDS, GObject)

RlCallerIds *rl_caller_ids_new (RlPhone *phone, RlSession *session, GSettings *settings);
GVariant *rl_caller_ids_get_numbers (RlCallerIds *self);
const char *rl_caller_ids_get_selected (RlCallerIds *self);
gboolean rl_caller_ids_select (RlCallerIds *self, const char *number, GError **error);

G_END_DECLS
