/* rl-session.h: the agent's sign-in to the call-center backend.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "rl-account.h"
#include "rl-backend.h"

G_BEGIN_DECLS

#define RL_SIGNED_OUT_ASKED "signed-out"
#define RL_SIGNED_OUT_AUTH_FAILED "auth-failed"
/* A call ended with the platform's "login has expired" (813). */
#define RL_SIGNED_OUT_LOGIN_EXPIRED "login-expired"

#define RL_TYPE_SESSION (rl_session_get_type ())
G_DECLARE_FINAL_TYPE (RlSession, rl_session, RL, SESSION, GObject)

RlSession *rl_session_new (GSettings *settings);
RlBackend *rl_session_get_backend (RlSession *self);
gboolean rl_session_get_signed_in (RlSession *self);
GVariant *rl_session_get_agent (RlSession *self);
const char *rl_session_get_user_id (RlSession *self);
RlAccount *rl_session_get_account (RlSession *self);
gboolean rl_session_get_online (RlSession *self);

void rl_session_restore (RlSession *self);
void rl_session_sign_in_async (RlSession *self, const char *server, const char *email,
                               const char *password, GCancellable *cancellable,
                               GAsyncReadyCallback callback, gpointer user_data);
void rl_session_sign_in_with_tokens_async (RlSession *self, const char *server,
                                           const char *access_token, const char *refresh_token,
                                           GCancellable *cancellable, GAsyncReadyCallback callback,
                                           gpointer user_data);
void rl_session_sign_in_with_browser_async (RlSession *self, const char *server,
                                            GCancellable *cancellable, GAsyncReadyCallback callback,
                                            gpointer user_data);
gboolean rl_session_sign_in_finish (RlSession *self, GAsyncResult *result, GError **error);
void rl_session_sign_out (RlSession *self, const char *reason);

G_END_DECLS
