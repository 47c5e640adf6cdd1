/* rl-secret-store.h: SIP passwords in the keyring (libsecret), nowhere else.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

void rl_secret_store_save_async (const char *server, const char *username, const char *password,
                                 GCancellable *cancellable, GAsyncReadyCallback callback,
                                 gpointer user_data);
gboolean rl_secret_store_save_finish (GAsyncResult *result, GError **error);
void rl_secret_store_lookup_async (const char *server, const char *username,
                                   GCancellable *cancellable, GAsyncReadyCallback callback,
                                   gpointer user_data);
char *rl_secret_store_lookup_finish (GAsyncResult *result, GError **error);
void rl_secret_store_clear_async (const char *server, const char *username,
                                  GCancellable *cancellable, GAsyncReadyCallback callback,
                                  gpointer user_data);
gboolean rl_secret_store_clear_finish (GAsyncResult *result, GError **error);

/* Finish these with the functions above. */
void rl_secret_store_save_session_async (const char *server, const char *secret,
                                         GCancellable *cancellable, GAsyncReadyCallback callback,
                                         gpointer user_data);
void rl_secret_store_lookup_session_async (const char *server, GCancellable *cancellable,
                                           GAsyncReadyCallback callback, gpointer user_data);
void rl_secret_store_clear_sessions_async (GCancellable *cancellable, GAsyncReadyCallback callback,
                                           gpointer user_data);

G_END_DECLS
