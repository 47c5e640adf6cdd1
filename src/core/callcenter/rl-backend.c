/* rl-backend.c
 *
 * One HTTP client for the backend (docs/backend-api.md). Requests that need
 * the agent's token send it as a bearer; when the backend answers 401 the
 * token is refreshed once, however many requests met the 401 together, and
 * each is sent again. Replies are read with a size cap and parsed as JSON;
 * every way a backend can fail becomes an RL_ERROR a person can read.
 *
 * The clock is never consulted for token expiry: the backend's 401 is the
 * only judge, so a machine whose clock jumps behaves as one that does not.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "RlBackend"

#include "config.h"

#include "rl-backend.h"
#include "rl-json.h"
#include "rl-error.h"

#include <libsoup/soup.h>

#define READ_CHUNK 65536
#define TIMEOUT_SECONDS 15

struct _RlBackend
{
  GObject parent_instance;

  SoupSession *session;
  char *url;
  char *access_token;
  char *refresh_token;
  gboolean online;
  gboolean refreshing;
  gboolean host_refreshes;   /* a host application refreshes the tokens, not us */
  guint host_wait_id;        /* how long it has to answer ::tokens-needed */
  GPtrArray *waiting;        /* GTasks that met a 401 and wait for the refresh */
  GCancellable *cancellable; /* cancelled by forget(): no old request outlives it */
  GHashTable *endpoints;     /* endpoint name → its path on the server, or its own URL */
};

/* The backend's endpoints by name (docs/backend-api.md "Addressing"): a
 * deployment may move any of them, to another path or another host. */
static const struct
{
  const char *name;
  const char *path;
} endpoints[] = {
  { "token", "/oauth/token" },
  { "refresh", "/oauth/refresh-token" },
  { "logout", "/oauth/logout" },
  { "session", "/oauth/session" },
  { "agent-status", "/api/agent-status" },
  { "call-history", "/api/call-history" },
  { "recording", "/api/recording" },
  { "park-slots", "/v3/park-slots" },
  { "phone-numbers", "/v3/phone-numbers" },
  { "park-call", "/v3/park-call" },
  { "retrieve-call", "/v3/retrieve-call" },
};

G_DEFINE_FINAL_TYPE (RlBackend, rl_backend, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_URL,
  PROP_ONLINE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum
{
  TOKENS_CHANGED,
  AUTH_FAILED,
  TOKENS_NEEDED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

typedef struct
{
  char *method;
  char *path;
  GBytes *body;
  RlBackendRequestFlags flags;
  gboolean retried;
  char *sent_token;
  guint status;
  GByteArray *reply;
  GInputStream *stream;
} Request;

static void
request_free (Request *req)
{
  g_free (req->method);
  g_free (req->path);
  g_clear_pointer (&req->body, g_bytes_unref);
  g_free (req->sent_token);
  g_clear_pointer (&req->reply, g_byte_array_unref);
  g_clear_object (&req->stream);
  g_free (req);
}

static void send_request (RlBackend *self, GTask *task);

static void
set_online (RlBackend *self, gboolean online)
{
  if (self->online == online)
    return;
  self->online = online;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ONLINE]);
}

/* Transport failures, said for a person; the underlying message only goes
 * to the debug log (it may name addresses the agent never typed). */
static GError *
transport_error (GError *error)
{
  g_debug ("backend request failed: %s", error->message);
  if (error->domain == G_TLS_ERROR)
    return g_error_new (RL_ERROR, RL_ERROR_BACKEND, "The server's certificate is not trusted (%s)",
                        error->message);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    return g_error_new_literal (RL_ERROR, RL_ERROR_OFFLINE, "The server did not answer in time");
  return g_error_new (RL_ERROR, RL_ERROR_OFFLINE, "Cannot reach the server (%s)", error->message);
}

/* The backend's own words for a failure, when it sent some as JSON. */
static char *
reply_description (GByteArray *reply)
{
  g_autoptr (JsonNode) root = NULL;
  JsonObject *object;
  const char *text = NULL;

  if (reply == NULL || reply->len == 0 || reply->len > 65536)
    return NULL;
  root = rl_json_parse ((const char *) reply->data, reply->len, NULL);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;
  object = json_node_get_object (root);
  if (json_object_has_member (object, "error_description"))
    text = json_object_get_string_member_with_default (object, "error_description", NULL);
  if (text == NULL && json_object_has_member (object, "error"))
    text = json_object_get_string_member_with_default (object, "error", NULL);
  if (text == NULL || !g_utf8_validate (text, -1, NULL))
    return NULL;
  /* g_utf8_substring() reads past the end of a shorter string. */
  return g_utf8_substring (text, 0, MIN (g_utf8_strlen (text, -1), 200));
}

static GError *
status_error (Request *req)
{
  g_autofree char *said = reply_description (req->reply);
  g_autofree char *detail = said ? g_strdup_printf (": %s", said) : g_strdup ("");

  if (req->status == 401 || req->status == 403
      || (req->status == 400 && g_str_has_prefix (req->path, "/oauth/")))
    return g_error_new (RL_ERROR, RL_ERROR_AUTH_FAILED, "The server refused the sign-in%s", detail);
  return g_error_new (RL_ERROR, RL_ERROR_BACKEND, "The server answered %u %s%s", req->status,
                      soup_status_get_phrase (req->status), detail);
}

static void
finish_reply (GTask *task)
{
  Request *req = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;
  JsonNode *root;

  if (!SOUP_STATUS_IS_SUCCESSFUL (req->status))
    return g_task_return_error (task, status_error (req));
  if (req->reply->len == 0)
    return g_task_return_pointer (task, json_node_new (JSON_NODE_NULL),
                                  (GDestroyNotify) json_node_unref);
  root = rl_json_parse ((const char *) req->reply->data, req->reply->len, &error);
  if (root == NULL)
    return g_task_return_new_error (task, RL_ERROR, RL_ERROR_BACKEND,
                                    "The server's reply is not usable JSON (%s)", error->message);
  g_task_return_pointer (task, root, (GDestroyNotify) json_node_unref);
}

static void on_read (GObject *source, GAsyncResult *result, gpointer user_data);

static void
read_more (GTask *task)
{
  Request *req = g_task_get_task_data (task);

  g_input_stream_read_bytes_async (req->stream, READ_CHUNK, G_PRIORITY_DEFAULT,
                                   g_task_get_cancellable (task), on_read, task);
}

static void
on_read (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  Request *req = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) chunk = g_input_stream_read_bytes_finish (req->stream, result, &error);

  if (chunk == NULL)
    return g_task_return_error (task, transport_error (error));
  if (g_bytes_get_size (chunk) == 0)
    return finish_reply (task);
  if (req->reply->len + g_bytes_get_size (chunk) > RL_BACKEND_MAX_REPLY)
    return g_task_return_new_error (task, RL_ERROR, RL_ERROR_BACKEND,
                                    "The server's reply is larger than %u MB",
                                    RL_BACKEND_MAX_REPLY / (1024 * 1024));
  g_byte_array_append (req->reply, g_bytes_get_data (chunk, NULL), g_bytes_get_size (chunk));
  read_more (g_steal_pointer (&task));
}

static void
fail_waiting (RlBackend *self, const GError *error)
{
  g_autoptr (GPtrArray) waiting = g_steal_pointer (&self->waiting);

  self->waiting = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < waiting->len; i++)
    g_task_return_error (waiting->pdata[i], g_error_copy (error));
}

/**
 * rl_backend_reply_token:
 *
 * Returns: (nullable): the non-empty string member @name of a token reply
 * (or of the same JSON as kept in the keyring)
 */
const char *
rl_backend_reply_token (JsonNode *reply, const char *name)
{
  const char *token = rl_json_string (rl_json_object (reply), name);

  return token && *token && strlen (token) < 4096 ? token : NULL;
}

/* Both tokens of a sign-in or refresh reply, or a Backend error. */
gboolean
rl_backend_set_tokens_from_reply (RlBackend *self, JsonNode *reply, GError **error)
{
  const char *access = rl_backend_reply_token (reply, "access_token");
  const char *refresh = rl_backend_reply_token (reply, "refresh_token");

  g_return_val_if_fail (RL_IS_BACKEND (self), FALSE);

  if (access == NULL || refresh == NULL)
    {
      g_set_error_literal (error, RL_ERROR, RL_ERROR_BACKEND, "The server's reply has no tokens");
      return FALSE;
    }
  rl_backend_set_tokens (self, access, refresh);
  return TRUE;
}

static void refresh (RlBackend *self);
static void session_expired (RlBackend *self, const char *why);

static void
resend_waiting (RlBackend *self)
{
  g_autoptr (GPtrArray) waiting = g_steal_pointer (&self->waiting);

  self->waiting = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < waiting->len; i++)
    send_request (self, g_object_ref (waiting->pdata[i]));
}

static void
on_refreshed (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (RlBackend) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) root = rl_backend_request_finish (self, result, &error);

  self->refreshing = FALSE;
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return fail_waiting (self, error);
  if (root)
    rl_backend_set_tokens_from_reply (self, root, &error);
  if (error)
    {
      if (error->code == RL_ERROR_AUTH_FAILED)
        return session_expired (self, "The session has expired; please sign in again");
      return fail_waiting (self, error);
    }
  g_signal_emit (self, signals[TOKENS_CHANGED], 0);
  resend_waiting (self);
}

/**
 * rl_backend_set_host_refreshes:
 *
 * Whether a host application refreshes the tokens (it signed the agent in
 * and keeps them): a refused token then emits ::tokens-needed and the
 * requests wait up to 30 s for rl_backend_take_host_tokens(), instead of
 * Ringline using the refresh token itself. Turned off while a refresh
 * waits (the host left), Ringline refreshes itself if it can.
 */
void
rl_backend_set_host_refreshes (RlBackend *self, gboolean host_refreshes)
{
  g_return_if_fail (RL_IS_BACKEND (self));

  if (self->host_refreshes == !!host_refreshes)
    return;
  self->host_refreshes = !!host_refreshes;
  if (host_refreshes || self->host_wait_id == 0)
    return;
  g_clear_handle_id (&self->host_wait_id, g_source_remove);
  self->refreshing = FALSE;
  if (self->refresh_token)
    refresh (self);
  else
    session_expired (self, "The application that keeps the tokens left; please sign in again");
}

/**
 * rl_backend_take_host_tokens:
 * @refresh_token: (nullable): the new refresh token, or %NULL to keep it
 *
 * The host's answer to ::tokens-needed (or tokens it refreshed on its own):
 * the requests that waited go again with them.
 */
void
rl_backend_take_host_tokens (RlBackend *self, const char *access_token, const char *refresh_token)
{
  g_return_if_fail (RL_IS_BACKEND (self));
  g_return_if_fail (access_token != NULL);

  g_autofree char *keep = g_strdup (refresh_token ? refresh_token : self->refresh_token);

  rl_backend_set_tokens (self, access_token, keep);
  g_clear_handle_id (&self->host_wait_id, g_source_remove);
  self->refreshing = FALSE;
  g_signal_emit (self, signals[TOKENS_CHANGED], 0);
  resend_waiting (self);
}

#define HOST_WAIT_SECONDS 30

static void
session_expired (RlBackend *self, const char *why)
{
  g_autoptr (GError) expired = g_error_new_literal (RL_ERROR, RL_ERROR_AUTH_FAILED, why);

  fail_waiting (self, expired);
  g_signal_emit (self, signals[AUTH_FAILED], 0, expired->message);
}

static gboolean
on_host_silent (gpointer data)
{
  RlBackend *self = data;

  self->host_wait_id = 0;
  self->refreshing = FALSE;
  session_expired (self, "The application that keeps the tokens gave no new ones; please sign "
                         "in again");
  return G_SOURCE_REMOVE;
}

static void
refresh (RlBackend *self)
{
  g_autoptr (JsonNode) body
    = rl_json_strings ("refresh_token", self->refresh_token ? self->refresh_token : "", NULL);

  self->refreshing = TRUE;
  if (self->host_refreshes)
    {
      self->host_wait_id = g_timeout_add_seconds (HOST_WAIT_SECONDS, on_host_silent, self);
      g_signal_emit (self, signals[TOKENS_NEEDED], 0);
      return;
    }
  rl_backend_request_async (self, "POST", "/oauth/refresh-token", body, RL_BACKEND_REQUEST_PLAIN,
                            self->cancellable, on_refreshed, g_object_ref (self));
}

/* A 401 for a request that sent the current token: wait for one refresh,
 * started by whoever met it first. A request that sent an older token just
 * goes again with the new one. */
static void
retry_after_refresh (RlBackend *self, GTask *task)
{
  Request *req = g_task_get_task_data (task);

  req->retried = TRUE;
  if (g_strcmp0 (req->sent_token, self->access_token) != 0 && self->access_token)
    return send_request (self, task);
  g_ptr_array_add (self->waiting, task);
  if (!self->refreshing)
    refresh (self);
}

static void
on_sent (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  RlBackend *self = g_task_get_source_object (task);
  Request *req = g_task_get_task_data (task);
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (source), result);
  g_autoptr (GError) error = NULL;
  goffset length;

  req->stream = soup_session_send_finish (SOUP_SESSION (source), result, &error);
  if (req->stream == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        set_online (self, FALSE);
      return g_task_return_error (task, g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
                                          ? g_steal_pointer (&error)
                                          : transport_error (error));
    }
  set_online (self, TRUE);
  req->status = soup_message_get_status (msg);
  /* Some backends say 403 for a token they no longer take. */
  if ((req->status == 401 || req->status == 403) && (req->flags & RL_BACKEND_REQUEST_AUTH)
      && !req->retried && (self->refresh_token || self->host_refreshes))
    return retry_after_refresh (self, g_steal_pointer (&task));
  if (SOUP_STATUS_IS_REDIRECTION (req->status))
    return g_task_return_new_error (
      task, RL_ERROR, RL_ERROR_BACKEND,
      "The server redirects to %s, which Ringline does not follow: check its address",
      soup_message_headers_get_one (soup_message_get_response_headers (msg), "Location") ?: "?");
  length = soup_message_headers_get_content_length (soup_message_get_response_headers (msg));
  if (length > RL_BACKEND_MAX_REPLY)
    return g_task_return_new_error (task, RL_ERROR, RL_ERROR_BACKEND,
                                    "The server's reply is larger than %u MB",
                                    RL_BACKEND_MAX_REPLY / (1024 * 1024));
  g_clear_pointer (&req->reply, g_byte_array_unref);
  req->reply = g_byte_array_new ();
  read_more (g_steal_pointer (&task));
}

/* Where @path goes: the server's address and the path, or the URL or path
 * the deployment set for that endpoint, with what follows the endpoint's
 * own path kept (a query, or "/ID" of one item). */
static char *
resolve (RlBackend *self, const char *path)
{
  gsize len = 0;
  const char *moved = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (endpoints) && moved == NULL; i++)
    {
      len = strlen (endpoints[i].path);
      if (strncmp (endpoints[i].path, path, len) == 0 && strchr ("?/", path[len]) != NULL)
        moved = g_hash_table_lookup (self->endpoints, endpoints[i].name);
    }
  if (moved == NULL)
    return g_strconcat (self->url, path, NULL);
  if (*moved == '/')
    return g_strconcat (self->url, moved, path + len, NULL);
  return g_strconcat (moved, path + len, NULL);
}

static void
send_request (RlBackend *self, GTask *task)
{
  Request *req = g_task_get_task_data (task);
  g_autofree char *uri = resolve (self, req->path);
  g_autoptr (SoupMessage) msg = soup_message_new (req->method, uri);

  g_clear_object (&req->stream);
  if (msg == NULL)
    {
      g_task_return_new_error (task, RL_ERROR, RL_ERROR_INVALID_ARGUMENT,
                               "“%s” is not a valid server address", self->url);
      g_object_unref (task);
      return;
    }
  /* An API does not redirect: following one would carry the password or
   * the bearer token to wherever it points. */
  soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);
  soup_message_headers_append (soup_message_get_request_headers (msg), "Accept",
                               "application/json");
  if (req->body)
    soup_message_set_request_body_from_bytes (msg, "application/json", req->body);
  if ((req->flags & RL_BACKEND_REQUEST_AUTH) && self->access_token)
    {
      g_autofree char *bearer = g_strconcat ("Bearer ", self->access_token, NULL);

      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization",
                                    bearer);
      g_free (req->sent_token);
      req->sent_token = g_strdup (self->access_token);
    }
  soup_session_send_async (self->session, msg, G_PRIORITY_DEFAULT, g_task_get_cancellable (task),
                           on_sent, task);
}

/**
 * rl_backend_request_async:
 * @body: (nullable): a JSON body, sent as application/json
 *
 * Sends one request to the backend. With %RL_BACKEND_REQUEST_AUTH it carries
 * the access token and survives one expiry of it.
 */
void
rl_backend_request_async (RlBackend *self, const char *method, const char *path, JsonNode *body,
                          RlBackendRequestFlags flags, GCancellable *cancellable,
                          GAsyncReadyCallback callback, gpointer user_data)
{
  g_return_if_fail (RL_IS_BACKEND (self));

  GTask *task = g_task_new (self, cancellable, callback, user_data);
  Request *req = g_new0 (Request, 1);

  g_task_set_source_tag (task, rl_backend_request_async);
  req->method = g_strdup (method);
  req->path = g_strdup (path);
  req->flags = flags;
  if (body)
    {
      gsize len;
      char *text = json_to_string (body, FALSE);

      len = strlen (text);
      req->body = g_bytes_new_take (text, len);
    }
  g_task_set_task_data (task, req, (GDestroyNotify) request_free);
  if (self->url == NULL)
    {
      g_task_return_new_error (task, RL_ERROR, RL_ERROR_NOT_SIGNED_IN, "No server is set");
      g_object_unref (task);
      return;
    }
  send_request (self, task);
}

/**
 * rl_backend_request_finish:
 *
 * Returns: (transfer full): the reply's JSON (a null node for an empty one)
 */
JsonNode *
rl_backend_request_finish (RlBackend *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Only http and https, with a host; plain http only to this machine, since
 * tokens and SIP passwords travel in it. */
/**
 * rl_backend_request_get_status:
 * @result: a finished request's result
 *
 * Returns: the HTTP status of its answer, 0 when none came
 */
guint
rl_backend_request_get_status (GAsyncResult *result)
{
  Request *req = g_task_get_task_data (G_TASK (result));

  return req ? req->status : 0;
}

gboolean
rl_backend_check_url (const char *url, GError **error)
{
  g_autoptr (GUri) uri = url ? g_uri_parse (url, G_URI_FLAGS_NONE, NULL) : NULL;
  const char *scheme = uri ? g_uri_get_scheme (uri) : NULL;
  const char *host = uri ? g_uri_get_host (uri) : NULL;

  if (uri == NULL || host == NULL || *host == '\0'
      || (g_strcmp0 (scheme, "https") != 0 && g_strcmp0 (scheme, "http") != 0))
    {
      g_set_error (error, RL_ERROR, RL_ERROR_INVALID_ARGUMENT,
                   "“%s” is not a server address (https://host…)", url ? url : "");
      return FALSE;
    }
  if (g_str_equal (scheme, "http") && !g_str_equal (host, "127.0.0.1")
      && !g_str_equal (host, "localhost") && !g_str_equal (host, "::1"))
    {
      g_set_error (error, RL_ERROR, RL_ERROR_INVALID_ARGUMENT,
                   "“%s” is not encrypted; use https://", url);
      return FALSE;
    }
  return TRUE;
}

/**
 * rl_backend_set_endpoints:
 * @table: an a{ss}: endpoint name → a path on the server ("/oauth/internal/token")
 *   or a URL of its own, on another host ("https://api.example.com/v2/agent-status")
 *
 * Moves the named endpoints; the others stay where docs/backend-api.md
 * says. An unknown name or an address that is not one (or not encrypted)
 * refuses the whole table, and the previous one stays.
 */
gboolean
rl_backend_set_endpoints (RlBackend *self, GVariant *table, GError **error)
{
  g_autoptr (GHashTable) moved = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  GVariantIter iter;
  const char *name, *where;

  g_return_val_if_fail (RL_IS_BACKEND (self), FALSE);
  g_return_val_if_fail (g_variant_is_of_type (table, G_VARIANT_TYPE ("a{ss}")), FALSE);

  g_variant_iter_init (&iter, table);
  while (g_variant_iter_next (&iter, "{&s&s}", &name, &where))
    {
      gboolean known = FALSE;

      for (guint i = 0; i < G_N_ELEMENTS (endpoints); i++)
        known |= g_str_equal (endpoints[i].name, name);
      if (!known)
        {
          g_set_error (error, RL_ERROR, RL_ERROR_INVALID_ARGUMENT,
                       "backend-endpoints: no endpoint named “%s”", name);
          return FALSE;
        }
      if ((*where == '/' && strpbrk (where, "?# \r\n") != NULL)
          || (*where != '/' && !rl_backend_check_url (where, error)))
        {
          if (error && *error == NULL)
            g_set_error (error, RL_ERROR, RL_ERROR_INVALID_ARGUMENT,
                         "backend-endpoints: “%s” is not a path", where);
          return FALSE;
        }
      g_hash_table_insert (moved, g_strdup (name), g_strdup (where));
    }
  g_hash_table_unref (self->endpoints);
  self->endpoints = g_steal_pointer (&moved);
  return TRUE;
}

gboolean
rl_backend_set_url (RlBackend *self, const char *url, GError **error)
{
  g_return_val_if_fail (RL_IS_BACKEND (self), FALSE);

  g_autofree char *trimmed = NULL;

  if (!rl_backend_check_url (url, error))
    return FALSE;
  trimmed = g_strdup (url);
  while (g_str_has_suffix (trimmed, "/"))
    trimmed[strlen (trimmed) - 1] = '\0';
  if (g_strcmp0 (trimmed, self->url) == 0)
    return TRUE;
  g_free (self->url);
  self->url = g_steal_pointer (&trimmed);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_URL]);
  return TRUE;
}

const char *
rl_backend_get_url (RlBackend *self)
{
  g_return_val_if_fail (RL_IS_BACKEND (self), NULL);

  return self->url;
}

void
rl_backend_set_tokens (RlBackend *self, const char *access_token, const char *refresh_token)
{
  g_return_if_fail (RL_IS_BACKEND (self));

  g_free (self->access_token);
  g_free (self->refresh_token);
  self->access_token = g_strdup (access_token);
  self->refresh_token = g_strdup (refresh_token);
}

const char *
rl_backend_get_access_token (RlBackend *self)
{
  g_return_val_if_fail (RL_IS_BACKEND (self), NULL);

  return self->access_token;
}

const char *
rl_backend_get_refresh_token (RlBackend *self)
{
  g_return_val_if_fail (RL_IS_BACKEND (self), NULL);

  return self->refresh_token;
}

gboolean
rl_backend_get_online (RlBackend *self)
{
  g_return_val_if_fail (RL_IS_BACKEND (self), FALSE);

  return self->online;
}

/* Signing out: the tokens go, and so does every request still carrying them. */
void
rl_backend_forget (RlBackend *self)
{
  g_return_if_fail (RL_IS_BACKEND (self));

  g_autoptr (GError) cancelled
    = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, "Signed out");

  g_cancellable_cancel (self->cancellable);
  g_object_unref (self->cancellable);
  self->cancellable = g_cancellable_new ();
  g_clear_handle_id (&self->host_wait_id, g_source_remove);
  self->refreshing = FALSE;
  self->host_refreshes = FALSE;
  fail_waiting (self, cancelled);
  rl_backend_set_tokens (self, NULL, NULL);
}

static void
rl_backend_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  RlBackend *self = RL_BACKEND (object);

  switch (prop_id)
    {
    case PROP_URL:
      g_value_set_string (value, self->url);
      break;
    case PROP_ONLINE:
      g_value_set_boolean (value, self->online);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rl_backend_dispose (GObject *object)
{
  RlBackend *self = RL_BACKEND (object);

  if (self->cancellable)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->session);
  G_OBJECT_CLASS (rl_backend_parent_class)->dispose (object);
}

static void
rl_backend_finalize (GObject *object)
{
  RlBackend *self = RL_BACKEND (object);

  g_clear_handle_id (&self->host_wait_id, g_source_remove);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->waiting, g_ptr_array_unref);
  g_clear_pointer (&self->endpoints, g_hash_table_unref);
  g_free (self->url);
  g_free (self->access_token);
  g_free (self->refresh_token);
  G_OBJECT_CLASS (rl_backend_parent_class)->finalize (object);
}

static void
rl_backend_class_init (RlBackendClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = rl_backend_get_property;
  object_class->dispose = rl_backend_dispose;
  object_class->finalize = rl_backend_finalize;
  properties[PROP_URL]
    = g_param_spec_string ("url", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_ONLINE]
    = g_param_spec_boolean ("online", NULL, NULL, FALSE,
                            G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
  /* New tokens after a refresh, for the keyring. */
  signals[TOKENS_CHANGED] = g_signal_new ("tokens-changed", G_TYPE_FROM_CLASS (klass),
                                          G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /* The refresh token was refused: only a new sign-in helps. */
  signals[AUTH_FAILED] = g_signal_new ("auth-failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                       0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  /* With a host that refreshes: it is to call rl_backend_take_host_tokens(). */
  signals[TOKENS_NEEDED] = g_signal_new ("tokens-needed", G_TYPE_FROM_CLASS (klass),
                                         G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
rl_backend_init (RlBackend *self)
{
  g_autofree char *agent = g_strdup_printf ("Ringline/%s", PACKAGE_VERSION);

  self->session
    = soup_session_new_with_options ("user-agent", agent, "timeout", TIMEOUT_SECONDS, NULL);
  self->endpoints = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->waiting = g_ptr_array_new_with_free_func (g_object_unref);
  self->cancellable = g_cancellable_new ();
}

RlBackend *
rl_backend_new (void)
{
  return g_object_new (RL_TYPE_BACKEND, NULL);
}
