/* rl-verbs.h: the one table of phone and agent verbs. Each verb is defined
 * here once and reached both as a GAction (RlVerbs, the window's) and as a
 * D-Bus method (rl-dbus-service.c, rl-dbus-call.c).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "rl-core.h"

G_BEGIN_DECLS

#define RL_TYPE_VERBS (rl_verbs_get_type ())
G_DECLARE_FINAL_TYPE (RlVerbs, rl_verbs, RL, VERBS, GSimpleActionGroup)

RlVerbs *rl_verbs_new (RlCore *core);

gboolean rl_verbs_invoke (RlCore *core, const char *name, GVariant *parameter, GVariant **result,
                          GError **error);
void rl_verbs_invoke_async (RlCore *core, const char *name, GVariant *parameter,
                            GCancellable *cancellable, GAsyncReadyCallback callback,
                            gpointer user_data);
gboolean rl_verbs_invoke_finish (RlCore *core, GAsyncResult *res, GVariant **result,
                                 GError **error);
void rl_verbs_invoke_for_method (RlCore *core, const char *name, GVariant *parameter,
                                 GDBusMethodInvocation *invocation);
char *rl_verbs_to_markdown (void);

G_END_DECLS
