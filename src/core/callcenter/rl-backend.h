/* rl-backend.h: the call-center backend's REST API, with its tokens.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Replies larger than this are refused rather than read into memory. */
#define RL_BACKEND_MAX_REPLY (4 * 1024 * 1024)

typedef enum
{
  RL_BACKEND_REQUEST_PLAIN = 0,
  RL_BACKEND_REQUEST_AUTH = 1 << 0, /* bearer token, one refresh and retry on 401 or 403 */
} RlBackendRequestFlags;

#define RL_TYPE_BACKEND (rl_backend_get_type ())
G_DECLARE_FINAL_TYPE (RlBackend, rl_backend, RL, BACKEND, GObject)

RlBackend *rl_backend_new (void);
gboolean rl_backend_set_url (RlBackend *self, const char *url, GError **error);
const char *rl_backend_get_url (RlBackend *self);
void rl_backend_set_tokens (RlBackend *self, const char *access_token, const char *refresh_token);
const char *rl_backend_get_access_token (RlBackend *self);
const char *rl_backend_get_refresh_token (RlBackend *self);
void rl_backend_set_host_refreshes (RlBackend *self, gboolean host_refreshes);
void rl_backend_take_host_tokens (RlBackend *self, const char *access_token,
                                  const char *refresh_token);
void rl_backend_forget (RlBackend *self);
gboolean rl_backend_get_online (RlBackend *self);

void rl_backend_request_async (RlBackend *self, const char *method, const char *path,
                               JsonNode *body, RlBackendRequestFlags flags,
                               GCancellable *cancellable, GAsyncReadyCallback callback,
                               gpointer user_data);
JsonNode *rl_backend_request_finish (RlBackend *self, GAsyncResult *result, GError **error);
guint rl_backend_request_get_status (GAsyncResult *result);

gboolean rl_backend_check_url (const char *url, GError **error);
gboolean rl_backend_set_endpoints (RlBackend *self, GVariant *table, GError **error);

const char *rl_backend_reply_token (JsonNode *reply, const char *name);
gboolean rl_backend_set_tokens_from_reply (RlBackend *self, JsonNode *reply, GError **error);

G_END_DECLS
