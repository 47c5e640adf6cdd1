/* rl-verbs.h: the one table of phone verbs. Each verb is defined here once
 * and reached both as a GAction (the window) and as a D-Bus method.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "rl-phone.h"

G_BEGIN_DECLS

gboolean rl_verbs_invoke (RlPhone *phone, const char *name, GVariant *parameter, GVariant **result,
                          GError **error);
GActionGroup *rl_verbs_create_action_group (RlPhone *phone);

G_END_DECLS
