/* rl-session.c
 *
 * The agent signs in (email and password, or tokens from a host app); the
 * backend's session hands out the agent and the SIP account. Tokens live in
 * the keyring only; the agent (no secrets) is cached in GSettings so a
 * restart with the backend down still shows who is signed in. While signed
 * in the session is checked now and then: a sign-out elsewhere revokes the
 * tokens, the check's refresh fails, and this instance signs out too.
 *
 * Longer than most files: sign-in (three ways), restore, refresh and
 * sign-out all move the same state and keyring entry; the HTTP client is
 * rl-backend.c, the browser flow rl-browser-auth.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "RlSession"

#include "rl-session-private.h"
#include "rl-json.h"
#include "rl-browser-auth.h"
#include "rl-error.h"
#include "rl-secret-store.h"

#include <libsecret/secret.h>

struct _RlSession
{
  GObject parent_instance;

  GSettings *settings;
  RlBackend *backend;
  gboolean signed_in;
  GVariant *agent; /* a{sv}, never floating */
  RlAccount *account;
  GCancellable *cancellable; /* this sign-in's work; a sign-out cancels it */
  guint check_source;
  gboolean checking;
  /* The keyring's wanted state: one operation at a time, the last wish wins,
   * so a sign-out's clear cannot land after the next sign-in's save. */
  char *keyring_secret; /* NULL: no session stored */
  char *keyring_server;
  gboolean keyring_busy;
  gboolean keyring_dirty;
};

G_DEFINE_FINAL_TYPE (RlSession, rl_session, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_SIGNED_IN,
  PROP_AGENT,
  PROP_ACCOUNT,
  PROP_ONLINE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum
{
  SIGNED_IN,
  SIGNED_OUT,
  AUTH_FAILED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* ---- the session's JSON ---- */

static JsonObject *
first_object (JsonObject *object, const char *name)
{
  JsonArray *array = rl_json_member_array (object, name);

  return rl_json_object (array && json_array_get_length (array) ? json_array_get_element (array, 0)
                                                                : NULL);
}

/* A string member, or an integer one as text (backends send ids either way);
 * "" when absent or of another type. */
static char *
string_member (JsonObject *object, const char *name)
{
  JsonNode *node = object ? json_object_get_member (object, name) : NULL;
  GType type = node && JSON_NODE_HOLDS_VALUE (node) ? json_node_get_value_type (node) : G_TYPE_NONE;

  if (type == G_TYPE_STRING && g_utf8_validate (json_node_get_string (node), -1, NULL))
    return g_strdup (json_node_get_string (node));
  if (type == G_TYPE_INT64)
    return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
  return g_strdup ("");
}

/* The domain's NAT helpers, when the call center hands them out: its
 * fields are the account's keys (docs/backend-api.md). */
static void
add_media_nat (GVariantBuilder *b, JsonObject *domain)
{
  static const char *const keys[]
    = { "stun_server", "turn_server", "turn_username", "turn_password" };
  JsonNode *ice = domain ? json_object_get_member (domain, "ice") : NULL;
  JsonNode *keepalive = domain ? json_object_get_member (domain, "keepalive_interval") : NULL;

  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      g_autofree char *value = string_member (domain, keys[i]);

      if (*value)
        g_variant_builder_add (b, "{sv}", keys[i], g_variant_new_string (value));
    }
  if (ice && JSON_NODE_HOLDS_VALUE (ice) && json_node_get_value_type (ice) == G_TYPE_BOOLEAN)
    g_variant_builder_add (b, "{sv}", "ice", g_variant_new_boolean (json_node_get_boolean (ice)));
  if (keepalive && JSON_NODE_HOLDS_VALUE (keepalive)
      && json_node_get_value_type (keepalive) == G_TYPE_INT64 && json_node_get_int (keepalive) >= 0
      && json_node_get_int (keepalive) <= G_MAXUINT32)
    g_variant_builder_add (b, "{sv}", "keepalive_interval",
                           g_variant_new_uint32 ((guint32) json_node_get_int (keepalive)));
}

static GVariant *
build_account_settings (JsonObject *user, const char *user_id, const char *name, GError **error)
{
  JsonObject *domain = first_object (rl_json_member_object (user, "dialer_config"), "domains");
  JsonObject *extension = first_object (domain, "extensions");
  g_autofree char *sip_domain = string_member (domain, "sip_domain");
  g_autofree char *proxy = string_member (domain, "sip_proxy_1");
  g_autofree char *number = string_member (extension, "extension");
  g_autofree char *password = string_member (extension, "sip_password");
  g_autofree char *transport = string_member (domain, "transport");
  g_autofree char *country = string_member (domain, "country_code");
  const char *server = *proxy ? proxy : sip_domain;
  GVariantBuilder b;

  if (*server == '\0' || *number == '\0')
    {
      g_set_error_literal (error, RL_ERROR, RL_ERROR_BACKEND,
                           "The server's session has no SIP domain or extension");
      return NULL;
    }
  /* Without a password of its own, the extension's is user_id@sip_domain. */
  if (*password == '\0')
    {
      g_free (password);
      password = g_strdup_printf ("%s@%s", user_id, sip_domain);
    }
  g_variant_builder_init (&b, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&b, "{sv}", "servers",
                         g_variant_new_strv ((const char *const[]){ server }, 1));
  g_variant_builder_add (&b, "{sv}", "username", g_variant_new_string (number));
  g_variant_builder_add (&b, "{sv}", "password", g_variant_new_string (password));
  g_variant_builder_add (&b, "{sv}", "display_name", g_variant_new_string (name));
  if (*proxy && *sip_domain && !g_str_equal (proxy, sip_domain))
    g_variant_builder_add (&b, "{sv}", "realm", g_variant_new_string (sip_domain));
  if (*transport)
    g_variant_builder_add (&b, "{sv}", "transport", g_variant_new_string (transport));
  if (*country)
    g_variant_builder_add (&b, "{sv}", "country_code", g_variant_new_string (country));
  add_media_nat (&b, domain);
  return g_variant_ref_sink (g_variant_builder_end (&b));
}

/* The call center's brand, as the backend gives it: strings only, checked
 * again where it applies (RlBranding). */
static GVariant *
build_branding (JsonObject *branding)
{
  static const char *const keys[]
    = { "brand_name", "brand_logo", "primary_color", "accent_color", "style" };
  GVariantBuilder b;

  g_variant_builder_init (&b, G_VARIANT_TYPE_VARDICT);
  for (guint i = 0; branding && i < G_N_ELEMENTS (keys); i++)
    {
      const char *value = rl_json_string (branding, keys[i]);

      if (value && strlen (value) <= 2048)
        g_variant_builder_add (&b, "{sv}", keys[i], g_variant_new_string (value));
    }
  return g_variant_builder_end (&b);
}

static GVariant *
build_agent (JsonObject *user, const char *user_id, const char *name, RlAccount *account,
             JsonObject *branding)
{
  g_autofree char *email = string_member (user, "email");
  g_autofree char *team = string_member (user, "team");
  g_autofree char *domain = rl_account_dup_domain (account);
  JsonNode *exists = json_object_get_member (user, "agent_exists");
  gboolean agent_exists = exists == NULL || !JSON_NODE_HOLDS_VALUE (exists)
                          || json_node_get_value_type (exists) != G_TYPE_BOOLEAN
                          || json_node_get_boolean (exists);
  GVariantBuilder b;

  g_variant_builder_init (&b, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&b, "{sv}", "user_id", g_variant_new_string (user_id));
  g_variant_builder_add (&b, "{sv}", "user", g_variant_new_string (name));
  g_variant_builder_add (&b, "{sv}", "name", g_variant_new_string (name));
  g_variant_builder_add (&b, "{sv}", "email", g_variant_new_string (email));
  g_variant_builder_add (&b, "{sv}", "team", g_variant_new_string (team));
  g_variant_builder_add (&b, "{sv}", "extension",
                         g_variant_new_string (rl_account_get_username (account)));
  g_variant_builder_add (&b, "{sv}", "sip_domain", g_variant_new_string (domain));
  g_variant_builder_add (&b, "{sv}", "agent_exists", g_variant_new_boolean (agent_exists));
  g_variant_builder_add (&b, "{sv}", "branding", build_branding (branding));
  return g_variant_ref_sink (g_variant_builder_end (&b));
}

/* The session reply's user: the agent and the SIP account it is given. */
gboolean
_rl_session_parse_reply (JsonNode *root, GVariant **agent, RlAccount **account, GError **error)
{
  JsonObject *user = rl_json_member_object (rl_json_object (root), "user");
  g_autofree char *user_id = string_member (user, "user_id");
  g_autofree char *name = string_member (user, "name");
  g_autoptr (GVariant) settings = NULL;
  g_autoptr (GError) invalid = NULL;

  if (user == NULL || *user_id == '\0')
    {
      g_set_error_literal (error, RL_ERROR, RL_ERROR_BACKEND,
                           "The server's session reply has no user");
      return FALSE;
    }
  settings = build_account_settings (user, user_id, name, error);
  if (settings == NULL)
    return FALSE;
  *account = rl_account_new_from_variant (settings, &invalid);
  if (*account == NULL)
    {
      g_set_error (error, RL_ERROR, RL_ERROR_BACKEND,
                   "The server's SIP settings are not usable (%s)", invalid->message);
      return FALSE;
    }
  *agent = build_agent (user, user_id, name, *account,
                        rl_json_member_object (rl_json_object (root), "branding"));
  return TRUE;
}

/* ---- state ---- */

static void
set_signed_in (RlSession *self, gboolean signed_in)
{
  if (self->signed_in == signed_in)
    return;
  self->signed_in = signed_in;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SIGNED_IN]);
}

/* @agent: (nullable): the agent, or none */
static void
set_agent (RlSession *self, GVariant *agent)
{
  g_autoptr (GVariant) next = g_variant_ref_sink (agent ? agent : g_variant_new ("a{sv}", NULL));

  if (g_variant_equal (self->agent, next))
    return;
  g_variant_unref (self->agent);
  self->agent = g_steal_pointer (&next);
  g_settings_set_value (self->settings, "backend-agent", self->agent);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AGENT]);
}

static void
set_account (RlSession *self, RlAccount *account)
{
  if (self->account == account)
    return;
  if (self->account && account && rl_account_same_identity (self->account, account)
      && g_strcmp0 (rl_account_get_password (self->account), rl_account_get_password (account))
           == 0)
    return;
  g_set_object (&self->account, account);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACCOUNT]);
}

static void keyring_apply (RlSession *self);

/* Without a keyring the session still works until the app quits; it just
 * is not remembered. */
static void
keyring_done (RlSession *self, GError *error)
{
  if (error)
    g_warning ("Could not update the keyring: %s", error->message);
  self->keyring_busy = FALSE;
  if (self->keyring_dirty)
    keyring_apply (self);
}

static void
on_keyring_saved (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (RlSession) self = user_data;
  g_autoptr (GError) error = NULL;

  rl_secret_store_save_finish (result, &error);
  keyring_done (self, error);
}

static void
on_keyring_cleared (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (RlSession) self = user_data;
  g_autoptr (GError) error = NULL;

  rl_secret_store_clear_finish (result, &error);
  keyring_done (self, error);
}

static void
keyring_apply (RlSession *self)
{
  self->keyring_dirty = FALSE;
  self->keyring_busy = TRUE;
  if (self->keyring_secret)
    rl_secret_store_save_session_async (self->keyring_server, self->keyring_secret, NULL,
                                        on_keyring_saved, g_object_ref (self));
  else
    rl_secret_store_clear_sessions_async (NULL, on_keyring_cleared, g_object_ref (self));
}

static void
keyring_want (RlSession *self, char *secret)
{
  if (self->keyring_secret)
    secret_password_wipe (self->keyring_secret);
  g_free (self->keyring_secret);
  self->keyring_secret = secret;
  g_free (self->keyring_server);
  self->keyring_server = g_strdup (rl_backend_get_url (self->backend));
  self->keyring_dirty = TRUE;
  if (!self->keyring_busy)
    keyring_apply (self);
}

static void
save_tokens (RlSession *self)
{
  g_autoptr (JsonNode) root
    = rl_json_strings ("access_token", rl_backend_get_access_token (self->backend), "refresh_token",
                       rl_backend_get_refresh_token (self->backend), NULL);

  keyring_want (self, json_to_string (root, FALSE));
}

/* ---- the periodic check ---- */

static void schedule_check (RlSession *self);

static void
apply_session (RlSession *self, GVariant *agent, RlAccount *account)
{
  set_agent (self, agent);
  set_account (self, account);
}

static void
on_checked (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (RlSession) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) root = rl_backend_request_finish (RL_BACKEND (source), result, &error);
  g_autoptr (GVariant) agent = NULL;
  g_autoptr (RlAccount) account = NULL;

  self->checking = FALSE;
  if (root == NULL)
    {
      /* Offline or failing: keep working from the cache. A refused refresh
       * signs out by itself (the backend's auth-failed). */
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("Session check: %s", error->message);
      return;
    }
  if (!_rl_session_parse_reply (root, &agent, &account, &error))
    {
      g_warning ("%s", error->message);
      return;
    }
  apply_session (self, agent, account);
}

static void
check_session (RlSession *self)
{
  if (self->checking || !self->signed_in)
    return;
  self->checking = TRUE;
  rl_backend_request_async (self->backend, "GET", "/oauth/session", NULL, RL_BACKEND_REQUEST_AUTH,
                            self->cancellable, on_checked, g_object_ref (self));
}

static gboolean
on_check_due (gpointer data)
{
  RlSession *self = data;

  check_session (self);
  return G_SOURCE_CONTINUE;
}

static void
schedule_check (RlSession *self)
{
  g_clear_handle_id (&self->check_source, g_source_remove);
  if (self->signed_in)
    self->check_source = g_timeout_add_seconds (
      MAX (1, g_settings_get_uint (self->settings, "session-check-interval")), on_check_due, self);
}

/* ---- signing in ---- */

static void
commit_sign_in (RlSession *self, GVariant *agent, RlAccount *account)
{
  g_settings_set_string (self->settings, "backend-url", rl_backend_get_url (self->backend));
  save_tokens (self);
  apply_session (self, agent, account);
  set_signed_in (self, TRUE);
  schedule_check (self);
  g_signal_emit (self, signals[SIGNED_IN], 0, self->agent);
}

static void
on_session_fetched (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  RlSession *self = g_task_get_source_object (task);
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) root = rl_backend_request_finish (RL_BACKEND (source), result, &error);
  g_autoptr (GVariant) agent = NULL;
  g_autoptr (RlAccount) account = NULL;

  if (root == NULL || !_rl_session_parse_reply (root, &agent, &account, &error))
    {
      if (!self->signed_in)
        rl_backend_forget (self->backend);
      return g_task_return_error (task, g_steal_pointer (&error));
    }
  commit_sign_in (self, agent, account);
  g_task_return_boolean (task, TRUE);
}

static void
fetch_session (RlSession *self, GTask *task)
{
  rl_backend_request_async (self->backend, "GET", "/oauth/session", NULL, RL_BACKEND_REQUEST_AUTH,
                            g_task_get_cancellable (task), on_session_fetched, task);
}

static void
on_token (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  RlSession *self = g_task_get_source_object (task);
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) root = rl_backend_request_finish (RL_BACKEND (source), result, &error);

  if (root == NULL || !rl_backend_set_tokens_from_reply (self->backend, root, &error))
    return g_task_return_error (task, g_steal_pointer (&error));
  fetch_session (self, g_steal_pointer (&task));
}

/* A new sign-in replaces whatever session there was, quietly. */
static gboolean
start_sign_in (RlSession *self, GTask *task, const char *server)
{
  g_autoptr (GError) error = NULL;

  if (!rl_backend_check_url (server, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return FALSE;
    }
  rl_session_sign_out (self, RL_SIGNED_OUT_ASKED);
  rl_backend_forget (self->backend);
  rl_backend_set_url (self->backend, server, NULL);
  return TRUE;
}

void
rl_session_sign_in_async (RlSession *self, const char *server, const char *email,
                          const char *password, GCancellable *cancellable,
                          GAsyncReadyCallback callback, gpointer user_data)
{
  g_return_if_fail (RL_IS_SESSION (self));

  g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr (JsonNode) body = NULL;

  g_task_set_source_tag (task, rl_session_sign_in_async);
  if (email == NULL || !strchr (email, '@') || password == NULL || *password == '\0')
    return g_task_return_new_error (task, RL_ERROR, RL_ERROR_INVALID_ARGUMENT,
                                    "An email address and a password are required");
  if (!start_sign_in (self, task, server))
    return;
  body = rl_json_strings ("grant_type", "password", "email", email, "password", password, NULL);
  rl_backend_request_async (self->backend, "POST", "/oauth/token", body, RL_BACKEND_REQUEST_PLAIN,
                            cancellable, on_token, g_steal_pointer (&task));
}

typedef struct
{
  RlBrowserAuth *auth;
  char *server;
} BrowserSignIn;

static void
browser_sign_in_free (BrowserSignIn *data)
{
  g_clear_object (&data->auth);
  g_free (data->server);
  g_free (data);
}

static void
on_browser_code (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  RlSession *self = g_task_get_source_object (task);
  BrowserSignIn *data = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;
  g_autofree char *code = rl_browser_auth_run_finish (data->auth, result, &error);
  g_autoptr (JsonNode) body = NULL;
  GCancellable *cancellable;

  if (code == NULL)
    return g_task_return_error (task, g_steal_pointer (&error));
  if (!start_sign_in (self, task, data->server))
    return;
  body = rl_json_strings ("grant_type", "authorization_code", "code", code, "code_verifier",
                          rl_browser_auth_get_verifier (data->auth), "redirect_uri",
                          rl_browser_auth_get_redirect_uri (data->auth), NULL);
  cancellable = g_task_get_cancellable (task);
  rl_backend_request_async (self->backend, "POST", "/oauth/token", body, RL_BACKEND_REQUEST_PLAIN,
                            cancellable, on_token, g_steal_pointer (&task));
}

/**
 * rl_session_sign_in_with_browser_async:
 *
 * Signs in through the backend's own page in the system browser (single
 * sign-on); the current session, if any, stays until the browser sends the
 * agent back.
 */
void
rl_session_sign_in_with_browser_async (RlSession *self, const char *server,
                                       GCancellable *cancellable, GAsyncReadyCallback callback,
                                       gpointer user_data)
{
  g_return_if_fail (RL_IS_SESSION (self));

  g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr (GError) error = NULL;
  BrowserSignIn *data = g_new0 (BrowserSignIn, 1);

  g_task_set_source_tag (task, rl_session_sign_in_with_browser_async);
  g_task_set_task_data (task, data, (GDestroyNotify) browser_sign_in_free);
  if (!rl_backend_check_url (server, &error))
    return g_task_return_error (task, g_steal_pointer (&error));
  data->server = g_strdup (server);
  data->auth = rl_browser_auth_new (server);
  rl_browser_auth_run_async (data->auth, cancellable, on_browser_code, g_steal_pointer (&task));
}

void
rl_session_sign_in_with_tokens_async (RlSession *self, const char *server, const char *access_token,
                                      const char *refresh_token, GCancellable *cancellable,
                                      GAsyncReadyCallback callback, gpointer user_data)
{
  g_return_if_fail (RL_IS_SESSION (self));

  g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, rl_session_sign_in_with_tokens_async);
  if (access_token == NULL || *access_token == '\0')
    return g_task_return_new_error (task, RL_ERROR, RL_ERROR_INVALID_ARGUMENT,
                                    "An access token is required");
  if (!start_sign_in (self, task, server))
    return;
  rl_backend_set_tokens (self->backend, access_token,
                         refresh_token && *refresh_token ? refresh_token : NULL);
  fetch_session (self, g_steal_pointer (&task));
}

gboolean
rl_session_sign_in_finish (RlSession *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- restoring and signing out ---- */

static void
on_tokens_loaded (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (RlSession) self = user_data;
  g_autoptr (GError) error = NULL;
  char *secret = rl_secret_store_lookup_finish (result, &error);
  g_autoptr (JsonNode) root = secret ? json_from_string (secret, NULL) : NULL;
  const char *access = rl_backend_reply_token (root, "access_token");
  g_autoptr (GVariant) agent = g_settings_get_value (self->settings, "backend-agent");

  g_clear_pointer (&secret, secret_password_free);
  if (error && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_warning ("Could not read the keyring: %s", error->message);
  if (access == NULL || self->signed_in)
    return;
  rl_backend_set_tokens (self->backend, access, rl_backend_reply_token (root, "refresh_token"));
  /* Signed in at once from the cache; the check brings the backend's word. */
  if (g_variant_n_children (agent) > 0)
    set_agent (self, agent);
  set_signed_in (self, TRUE);
  schedule_check (self);
  check_session (self);
}

/* The session of the last run, if its tokens are still in the keyring. */
void
rl_session_restore (RlSession *self)
{
  g_return_if_fail (RL_IS_SESSION (self));

  g_autofree char *url = g_settings_get_string (self->settings, "backend-url");

  if (*url == '\0' || !rl_backend_set_url (self->backend, url, NULL))
    return;
  rl_secret_store_lookup_session_async (url, self->cancellable, on_tokens_loaded,
                                        g_object_ref (self));
}

static void
on_logged_out (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) root = rl_backend_request_finish (RL_BACKEND (source), result, &error);

  if (root == NULL)
    g_debug ("The backend did not take the sign-out: %s", error->message);
}

void
rl_session_sign_out (RlSession *self, const char *reason)
{
  g_return_if_fail (RL_IS_SESSION (self));

  if (!self->signed_in)
    return;
  /* Tell the backend first, while the request can still carry the token. */
  if (rl_backend_get_access_token (self->backend)
      && g_strcmp0 (reason, RL_SIGNED_OUT_AUTH_FAILED) != 0)
    rl_backend_request_async (self->backend, "POST", "/oauth/logout", NULL, RL_BACKEND_REQUEST_AUTH,
                              NULL, on_logged_out, NULL);
  g_cancellable_cancel (self->cancellable);
  g_set_object (&self->cancellable, g_cancellable_new ());
  g_clear_handle_id (&self->check_source, g_source_remove);
  self->checking = FALSE;
  rl_backend_forget (self->backend);
  keyring_want (self, NULL);
  g_settings_reset (self->settings, "backend-url");
  set_account (self, NULL);
  set_agent (self, NULL);
  set_signed_in (self, FALSE);
  g_signal_emit (self, signals[SIGNED_OUT], 0, reason);
}

static void
on_auth_failed (RlSession *self, const char *reason)
{
  g_signal_emit (self, signals[AUTH_FAILED], 0, reason);
  rl_session_sign_out (self, RL_SIGNED_OUT_AUTH_FAILED);
}

/* ---- GObject ---- */

RlBackend *
rl_session_get_backend (RlSession *self)
{
  g_return_val_if_fail (RL_IS_SESSION (self), NULL);

  return self->backend;
}

gboolean
rl_session_get_signed_in (RlSession *self)
{
  g_return_val_if_fail (RL_IS_SESSION (self), FALSE);

  return self->signed_in;
}

/**
 * rl_session_get_agent:
 *
 * Returns: (transfer none): the agent as a{sv}, empty when signed out
 */
GVariant *
rl_session_get_agent (RlSession *self)
{
  g_return_val_if_fail (RL_IS_SESSION (self), NULL);

  return self->agent;
}

const char *
rl_session_get_user_id (RlSession *self)
{
  const char *id = NULL;

  g_return_val_if_fail (RL_IS_SESSION (self), NULL);

  g_variant_lookup (self->agent, "user_id", "&s", &id);
  return id;
}

RlAccount *
rl_session_get_account (RlSession *self)
{
  g_return_val_if_fail (RL_IS_SESSION (self), NULL);

  return self->account;
}

gboolean
rl_session_get_online (RlSession *self)
{
  g_return_val_if_fail (RL_IS_SESSION (self), FALSE);

  return rl_backend_get_online (self->backend);
}

static void
on_online_changed (RlSession *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ONLINE]);
}

static void
rl_session_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  RlSession *self = RL_SESSION (object);

  switch (prop_id)
    {
    case PROP_SIGNED_IN:
      g_value_set_boolean (value, self->signed_in);
      break;
    case PROP_AGENT:
      g_value_set_variant (value, self->agent);
      break;
    case PROP_ACCOUNT:
      g_value_set_object (value, self->account);
      break;
    case PROP_ONLINE:
      g_value_set_boolean (value, rl_session_get_online (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rl_session_dispose (GObject *object)
{
  RlSession *self = RL_SESSION (object);

  if (self->cancellable)
    g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->check_source, g_source_remove);
  /* Requests in flight keep the backend alive after us: it must not call back. */
  if (self->backend)
    g_signal_handlers_disconnect_by_data (self->backend, self);
  g_clear_object (&self->backend);
  g_clear_object (&self->account);
  g_clear_object (&self->settings);
  g_clear_object (&self->cancellable);
  G_OBJECT_CLASS (rl_session_parent_class)->dispose (object);
}

static void
rl_session_finalize (GObject *object)
{
  RlSession *self = RL_SESSION (object);

  g_clear_pointer (&self->agent, g_variant_unref);
  g_clear_pointer (&self->keyring_secret, secret_password_free);
  g_free (self->keyring_server);
  G_OBJECT_CLASS (rl_session_parent_class)->finalize (object);
}

static void
rl_session_class_init (RlSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->get_property = rl_session_get_property;
  object_class->dispose = rl_session_dispose;
  object_class->finalize = rl_session_finalize;
  properties[PROP_SIGNED_IN] = g_param_spec_boolean ("signed-in", NULL, NULL, FALSE, flags);
  properties[PROP_AGENT]
    = g_param_spec_variant ("agent", NULL, NULL, G_VARIANT_TYPE_VARDICT, NULL, flags);
  properties[PROP_ACCOUNT]
    = g_param_spec_object ("account", NULL, "The SIP account handed out", RL_TYPE_ACCOUNT, flags);
  properties[PROP_ONLINE] = g_param_spec_boolean ("online", NULL, NULL, FALSE, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
  signals[SIGNED_IN] = g_signal_new ("signed-in", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                     NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_VARIANT);
  signals[SIGNED_OUT] = g_signal_new ("signed-out", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                      NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[AUTH_FAILED] = g_signal_new ("auth-failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                       0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
rl_session_init (RlSession *self)
{
  self->backend = rl_backend_new ();
  self->agent = g_variant_ref_sink (g_variant_new ("a{sv}", NULL));
  self->cancellable = g_cancellable_new ();
  g_signal_connect_swapped (self->backend, "notify::online", G_CALLBACK (on_online_changed), self);
  g_signal_connect_swapped (self->backend, "tokens-changed", G_CALLBACK (save_tokens), self);
  g_signal_connect_swapped (self->backend, "auth-failed", G_CALLBACK (on_auth_failed), self);
}

/* A deployment's own addressing (docs/backend-api.md); a bad table is said
 * and the previous one kept. */
static void
apply_endpoints (RlSession *self)
{
  g_autoptr (GVariant) table = g_settings_get_value (self->settings, "backend-endpoints");
  g_autoptr (GError) error = NULL;

  if (!rl_backend_set_endpoints (self->backend, table, &error))
    g_warning ("%s", error->message);
}

RlSession *
rl_session_new (GSettings *settings)
{
  RlSession *self = g_object_new (RL_TYPE_SESSION, NULL);

  self->settings = g_object_ref (settings);
  g_signal_connect_object (settings, "changed::backend-endpoints", G_CALLBACK (apply_endpoints),
                           self, G_CONNECT_SWAPPED);
  apply_endpoints (self);
  return self;
}
