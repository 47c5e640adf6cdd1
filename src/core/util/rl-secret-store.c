/* rl-secret-store.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "RlSecretStore"

#include "rl-secret-store.h"

#include <libsecret/secret.h>

static const SecretSchema *
sip_schema (void)
{
  static const SecretSchema schema = {
    "org.ringline.Ringline.SipAccount",
    SECRET_SCHEMA_NONE,
    {
      { "server", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "username", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    },
  };
  return &schema;
}

void
rl_secret_store_save_async (const char *server, const char *username, const char *password,
                            GCancellable *cancellable, GAsyncReadyCallback callback,
                            gpointer user_data)
{
  g_autofree char *label = g_strdup_printf ("Ringline SIP password for %s@%s", username, server);

  secret_password_store (sip_schema (), SECRET_COLLECTION_DEFAULT, label, password, cancellable,
                         callback, user_data, "server", server, "username", username, NULL);
}

gboolean
rl_secret_store_save_finish (GAsyncResult *result, GError **error)
{
  return secret_password_store_finish (result, error);
}

void
rl_secret_store_lookup_async (const char *server, const char *username, GCancellable *cancellable,
                              GAsyncReadyCallback callback, gpointer user_data)
{
  secret_password_lookup (sip_schema (), cancellable, callback, user_data, "server", server,
                          "username", username, NULL);
}

/**
 * rl_secret_store_lookup_finish:
 *
 * Returns: (transfer full) (nullable): the password, or %NULL when none is
 * stored (no error) or the keyring failed (error set). Free it with
 * secret_password_free().
 */
char *
rl_secret_store_lookup_finish (GAsyncResult *result, GError **error)
{
  return secret_password_lookup_finish (result, error);
}

void
rl_secret_store_clear_async (const char *server, const char *username, GCancellable *cancellable,
                             GAsyncReadyCallback callback, gpointer user_data)
{
  secret_password_clear (sip_schema (), cancellable, callback, user_data, "server", server,
                         "username", username, NULL);
}

gboolean
rl_secret_store_clear_finish (GAsyncResult *result, GError **error)
{
  return secret_password_clear_finish (result, error);
}

/* The backend session: both tokens as one JSON secret, keyed by the server. */
static const SecretSchema *
session_schema (void)
{
  static const SecretSchema schema = {
    "org.ringline.Ringline.Session",
    SECRET_SCHEMA_NONE,
    {
      { "server", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    },
  };
  return &schema;
}

void
rl_secret_store_save_session_async (const char *server, const char *secret,
                                    GCancellable *cancellable, GAsyncReadyCallback callback,
                                    gpointer user_data)
{
  g_autofree char *label = g_strdup_printf ("Ringline session at %s", server);

  secret_password_store (session_schema (), SECRET_COLLECTION_DEFAULT, label, secret, cancellable,
                         callback, user_data, "server", server, NULL);
}

void
rl_secret_store_lookup_session_async (const char *server, GCancellable *cancellable,
                                      GAsyncReadyCallback callback, gpointer user_data)
{
  secret_password_lookup (session_schema (), cancellable, callback, user_data, "server", server,
                          NULL);
}

/* Every stored session, whatever its server: signing out leaves none. */
void
rl_secret_store_clear_sessions_async (GCancellable *cancellable, GAsyncReadyCallback callback,
                                      gpointer user_data)
{
  secret_password_clear (session_schema (), cancellable, callback, user_data, NULL);
}
