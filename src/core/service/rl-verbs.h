/* rl-verbs.h: the one table of phone and agent verbs. Each verb is defined
 * here once and reached both as a GAction (the window) and as a D-Bus method.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "rl-core.h"

G_BEGIN_DECLS

gboolean rl_verbs_invoke (RlCore *core, const char *name, GVariant *parameter, GVariant **result,
                          GError **error);
void rl_verbs_invoke_async (RlCore *core, const char *name, GVariant *parameter,
                            GCancellable *cancellable, GAsyncReadyCallback callback,
                            gpointer user_data);
gboolean rl_verbs_invoke_finish (RlCore *core, GAsyncResult *res, GVariant **result,
                                 GError **error);
void rl_verbs_invoke_for_method (RlCore *core, const char *name, GVariant *parameter,
                                 GDBusMethodInvocation *invocation);
GActionGroup *rl_verbs_create_action_group (RlCore *core);

G_END_DECLS
