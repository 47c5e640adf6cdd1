/* rl-browser-auth.h: browser sign-in for a native app (RFC 8252): the
 * system browser, a loopback redirect and PKCE.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define RL_TYPE_BROWSER_AUTH (rl_browser_auth_get_type ())
G_DECLARE_FINAL_TYPE (RlBrowserAuth, rl_browser_auth, RL, BROWSER_AUTH, GObject)

RlBrowserAuth *rl_browser_auth_new (const char *server);
void rl_browser_auth_run_async (RlBrowserAuth *self, GCancellable *cancellable,
                                GAsyncReadyCallback callback, gpointer user_data);
char *rl_browser_auth_run_finish (RlBrowserAuth *self, GAsyncResult *result, GError **error);
const char *rl_browser_auth_get_verifier (RlBrowserAuth *self);
const char *rl_browser_auth_get_redirect_uri (RlBrowserAuth *self);

G_END_DECLS
