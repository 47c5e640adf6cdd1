/* test-backend.c: sign-in, tokens, the session's SIP account and the call
 * history's sync, against the lab's reference backend (a real HTTP server
 * over SQLite), a real keyring and, for registration, the lab's kamailio.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "rl-core.h"
#include "rl-error.h"
#include "rl-history-sync.h"
#include "rl-session-private.h"
#include "rl-secret-store.h"
#include "rl-test-lab.h"
#include "rl-test-phone.h"

#include <glib/gstdio.h>
#include <libsecret/secret.h>
#include <libsoup/soup.h>
#include <sqlite3.h>

static RlTestLab *lab;
static GString *captured_log;

static GLogWriterOutput
capture_log (GLogLevelFlags level, const GLogField *fields, gsize n_fields, gpointer user_data)
{
  for (gsize i = 0; i < n_fields; i++)
    if (g_str_equal (fields[i].key, "MESSAGE") && fields[i].length < 0)
      g_string_append_printf (captured_log, "%s\n", (const char *) fields[i].value);
  if (level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING))
    return g_log_writer_standard_streams (level, fields, n_fields, user_data);
  return G_LOG_WRITER_HANDLED;
}

/* ---- helpers ---- */

static gboolean
sign_in_at (RlSession *session, const char *server, const char *email, const char *password,
            GError **error)
{
  g_autoptr (GAsyncResult) result = NULL;

  rl_session_sign_in_async (session, server, email, password, NULL, rl_test_keep_result, &result);
  return rl_session_sign_in_finish (session, rl_test_wait_result (&result, 30), error);
}

static gboolean
sign_in_as (RlSession *session, const char *email, const char *password, GError **error)
{
  return sign_in_at (session, rl_test_lab_backend_url (lab), email, password, error);
}

static void
sign_in (RlSession *session)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (sign_in_as (session, rl_test_lab_backend_email (lab, 0),
                             rl_test_lab_backend_password (lab, 0), &error));
  g_assert_no_error (error);
}

static RlSession *
new_session (void)
{
  g_autoptr (GSettings) settings = g_settings_new (APP_ID);

  return rl_session_new (settings);
}

static gboolean
is_signed_in (gpointer session)
{
  return rl_session_get_signed_in (session);
}

static gboolean
is_signed_out (gpointer session)
{
  return !rl_session_get_signed_in (session);
}

static void
count_signal (gpointer counter)
{
  (*(guint *) counter)++;
}

typedef struct
{
  RlBackend *backend;
  guint pending;
  guint failed;
} Burst;

static void
on_burst_reply (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Burst *burst = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) root = rl_backend_request_finish (RL_BACKEND (source), result, &error);

  if (root == NULL)
    burst->failed++;
  burst->pending--;
}

static gboolean
burst_done (gpointer data)
{
  return ((Burst *) data)->pending == 0;
}

/* ---- sign-in ---- */

/* The backend's session becomes the SIP account: the phone registers with
 * the lab's kamailio with nothing set by hand. Tokens stay in the keyring. */
static gboolean
log_says_ready (gpointer data)
{
  return strstr (captured_log->str, "baresip is ready") != NULL;
}

static void
test_sign_in_registers (void)
{
  g_autoptr (RlCore) core = rl_core_new ();
  RlSession *session = rl_core_get_session (core);
  RlPhone *phone = rl_core_get_phone (core);
  RlAccount *account;
  const char *extension = NULL;
  g_autofree char *access = NULL;
  g_autofree char *refresh = NULL;
  guint signed_out = 0;

  rl_core_startup (core);
  g_signal_connect_swapped (session, "signed-out", G_CALLBACK (count_signal), &signed_out);
  sign_in (session);
  g_assert_true (rl_session_get_signed_in (session));
  g_assert_true (g_variant_lookup (rl_session_get_agent (session), "extension", "&s", &extension));
  g_assert_cmpstr (extension, ==, rl_test_lab_agent (lab, 0));
  g_assert_true (rl_test_wait (rl_test_phone_is_registered, phone, 30));
  account = rl_phone_get_account (phone);
  g_assert_cmpstr (rl_account_get_username (account), ==, rl_test_lab_agent (lab, 0));

  access = g_strdup (rl_backend_get_access_token (rl_session_get_backend (session)));
  refresh = g_strdup (rl_backend_get_refresh_token (rl_session_get_backend (session)));
  g_assert_nonnull (access);
  g_assert_false (rl_test_tree_contains (g_get_user_data_dir (), access));
  g_assert_false (rl_test_tree_contains (g_get_user_data_dir (), refresh));
  g_assert_false (rl_test_tree_contains (g_get_user_runtime_dir (), access));
  g_assert_false (rl_test_tree_contains (g_get_user_config_dir (), access));
  g_assert_null (strstr (captured_log->str, access));
  g_assert_null (strstr (captured_log->str, refresh));
  g_assert_null (strstr (captured_log->str, rl_test_lab_backend_password (lab, 0)));
  g_assert_null (strstr (captured_log->str, rl_account_get_password (account)));
  /* baresip's SIP trace, with the REGISTER's digest response, is read but
   * never logged. */
  g_assert_null (strstr (captured_log->str, "Authorization:"));
  /* baresip's output is read at low priority, a pause apart: it may come
   * after the registration. */
  g_assert_true (rl_test_wait (log_says_ready, NULL, 5));

  rl_session_sign_out (session, RL_SIGNED_OUT_ASKED);
  g_assert_cmpuint (signed_out, ==, 1);
  g_assert_null (rl_phone_get_account (phone));
  g_assert_cmpint (rl_phone_get_registration_state (phone), ==, RL_REGISTRATION_UNREGISTERED);
  g_assert_cmpuint (g_variant_n_children (rl_session_get_agent (session)), ==, 0);
  rl_core_shutdown (core);
}

static void
test_wrong_password (void)
{
  g_autoptr (RlSession) session = new_session ();
  g_autoptr (GError) error = NULL;

  g_assert_false (sign_in_as (session, rl_test_lab_backend_email (lab, 0), "wrong", &error));
  g_assert_error (error, RL_ERROR, RL_ERROR_AUTH_FAILED);
  g_assert_false (rl_session_get_signed_in (session));
  g_clear_error (&error);
  g_assert_false (sign_in_as (session, "not-an-email", "x", &error));
  g_assert_error (error, RL_ERROR, RL_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_false (sign_in_at (session, "ftp://example.com", "a@b.c", "x", &error));
  g_assert_error (error, RL_ERROR, RL_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
}

static gboolean
refreshed_once (gpointer data)
{
  return rl_test_lab_backend_stat (lab, "refreshes") == *(gint64 *) ((gpointer *) data)[0] + 1;
}

static gboolean
file_has (gpointer data)
{
  g_autofree char *contents = NULL;

  return g_file_get_contents (((char **) data)[0], &contents, NULL, NULL)
         && strstr (contents, ((char **) data)[1]);
}

static gboolean
browser_sign_in (RlSession *session, const char *server, GCancellable *cancellable,
                 const char *wait_for_log, GError **error)
{
  g_autoptr (GAsyncResult) result = NULL;

  rl_session_sign_in_with_browser_async (session, server, cancellable, rl_test_keep_result,
                                         &result);
  if (wait_for_log)
    {
      g_assert_true (rl_test_wait (
        file_has, (char *[]){ (char *) g_getenv ("RL_BROWSER_LOG"), (char *) wait_for_log }, 30));
      g_assert_null (result); /* still waiting for the real answer */
      g_cancellable_cancel (cancellable);
    }
  return rl_session_sign_in_finish (session, rl_test_wait_result (&result, 30), error);
}

/* Single sign-on in the system browser: Ringline never sees the password;
 * the code comes back to a loopback port and is redeemed with its PKCE
 * verifier. A redirect it did not ask for is refused and the wait goes on
 * until the agent cancels. */
static void
test_sign_in_with_browser (void)
{
  g_autoptr (RlSession) session = new_session ();
  g_autoptr (GError) error = NULL;
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  g_autofree char *log = g_build_filename (g_getenv ("XDG_DATA_HOME"), "browser.log", NULL);
  const char *email = NULL;

  g_setenv ("RL_BROWSER_LOG", log, TRUE);
  g_setenv ("RL_BROWSER_EMAIL", rl_test_lab_backend_email (lab, 0), TRUE);
  g_setenv ("RL_BROWSER_PASSWORD", rl_test_lab_backend_password (lab, 0), TRUE);
  g_assert_true (browser_sign_in (session, rl_test_lab_backend_url (lab), NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (rl_session_get_signed_in (session));
  g_assert_true (g_variant_lookup (rl_session_get_agent (session), "email", "&s", &email));
  g_assert_cmpstr (email, ==, rl_test_lab_backend_email (lab, 0));
  g_assert_true (file_has ((char *[]){ log, "landed 200" }));
  g_assert_true (file_has ((char *[]){ log, "Signed in to Ringline" }));
  g_assert_null (strstr (captured_log->str, rl_test_lab_backend_password (lab, 0)));
  rl_session_sign_out (session, RL_SIGNED_OUT_ASKED);

  g_setenv ("RL_BROWSER_FORGE_STATE", "1", TRUE);
  g_assert_false (
    browser_sign_in (session, rl_test_lab_backend_url (lab), cancellable, "landed 400", &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_false (rl_session_get_signed_in (session));
  g_clear_error (&error);
  g_unsetenv ("RL_BROWSER_FORGE_STATE");

  g_assert_false (browser_sign_in (session, "ftp://example.com", NULL, NULL, &error));
  g_assert_error (error, RL_ERROR, RL_ERROR_INVALID_ARGUMENT);
}

/* Ten requests meet an expired token together: one refresh, ten successes. */
static void
test_refresh_single_flight (void)
{
  g_autoptr (RlSession) session = new_session ();
  RlBackend *backend = rl_session_get_backend (session);
  Burst burst = { backend, 10, 0 };
  gint64 before;

  sign_in (session);
  before = rl_test_lab_backend_stat (lab, "refreshes");
  rl_test_lab_backend_expire_tokens (lab);
  for (guint i = 0; i < 10; i++)
    rl_backend_request_async (backend, "GET", "/oauth/session", NULL, RL_BACKEND_REQUEST_AUTH, NULL,
                              on_burst_reply, &burst);
  g_assert_true (rl_test_wait (burst_done, &burst, 30));
  g_assert_cmpuint (burst.failed, ==, 0);
  g_assert_cmpint (rl_test_lab_backend_stat (lab, "refreshes"), ==, before + 1);
  g_assert_true (rl_session_get_signed_in (session));
  rl_session_sign_out (session, RL_SIGNED_OUT_ASKED);
}

/* A refused refresh signs out cleanly and says why. */
static void
test_refresh_refused (void)
{
  g_autoptr (RlSession) session = new_session ();
  Burst burst = { rl_session_get_backend (session), 1, 0 };
  guint auth_failed = 0;

  sign_in (session);
  g_signal_connect_swapped (session, "auth-failed", G_CALLBACK (count_signal), &auth_failed);
  rl_test_lab_backend_fault (lab, "/", "401", 0, 0);
  rl_backend_request_async (rl_session_get_backend (session), "GET", "/oauth/session", NULL,
                            RL_BACKEND_REQUEST_AUTH, NULL, on_burst_reply, &burst);
  g_assert_true (rl_test_wait (burst_done, &burst, 30));
  rl_test_lab_backend_fault (lab, "/", "none", 0, 0);
  g_assert_cmpuint (burst.failed, ==, 1);
  g_assert_cmpuint (auth_failed, ==, 1);
  g_assert_false (rl_session_get_signed_in (session));
}

typedef struct
{
  gboolean done;
  gboolean found;
} Lookup;

static void
on_lookup (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Lookup *lookup = user_data;
  char *secret = rl_secret_store_lookup_finish (result, NULL);

  lookup->found = secret != NULL;
  lookup->done = TRUE;
  g_clear_pointer (&secret, secret_password_free);
}

/* The keyring is written behind the sign-in; a second instance reads it. */
static gboolean
keyring_holds_session (gpointer data)
{
  Lookup lookup = { 0 };

  rl_secret_store_lookup_session_async (rl_test_lab_backend_url (lab), NULL, on_lookup, &lookup);
  while (!lookup.done)
    g_main_context_iteration (NULL, TRUE);
  return lookup.found == GPOINTER_TO_INT (data);
}

static gboolean
is_online (gpointer session)
{
  return rl_session_get_online (session);
}

static gboolean
is_offline (gpointer session)
{
  return !rl_session_get_online (session);
}

/* A restart keeps the session: the tokens come back from the keyring, the
 * agent from the cache even while the backend is down; the session says it
 * is offline and comes back online by itself when the backend does. */
static void
test_restore (void)
{
  g_autoptr (GSettings) settings = g_settings_new (APP_ID);
  g_autoptr (RlSession) first = new_session ();
  g_autoptr (RlSession) second = new_session ();
  g_autoptr (RlSession) offline = NULL;

  sign_in (first);
  g_assert_true (rl_test_wait (keyring_holds_session, GINT_TO_POINTER (TRUE), 10));
  rl_session_restore (second);
  g_assert_true (rl_test_wait (is_signed_in, second, 10));
  g_assert_true (g_variant_equal (rl_session_get_agent (first), rl_session_get_agent (second)));

  rl_test_lab_backend_stop (lab);
  g_settings_set_uint (settings, "session-check-interval", 1);
  offline = new_session ();
  rl_session_restore (offline);
  g_assert_true (rl_test_wait (is_signed_in, offline, 10));
  g_assert_true (g_variant_equal (rl_session_get_agent (first), rl_session_get_agent (offline)));
  rl_test_sleep (1500); /* a session check has failed by now */
  g_assert_true (is_offline (offline));
  g_assert_true (rl_session_get_signed_in (offline));
  rl_test_lab_backend_start (lab);
  g_assert_true (rl_test_wait (is_online, offline, 10));
  g_assert_true (rl_session_get_signed_in (offline));
  g_settings_reset (settings, "session-check-interval");
  rl_session_sign_out (first, RL_SIGNED_OUT_ASKED);
  g_assert_true (rl_test_wait (keyring_holds_session, GINT_TO_POINTER (FALSE), 10));
  g_clear_object (&second);
  g_clear_object (&offline);
}

static void
count_request (SoupServer *server, SoupServerMessage *msg, const char *path, GHashTable *query,
               gpointer counter)
{
  (*(guint *) counter)++;
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
}

/* A backend whose certificate nobody vouches for (self-signed, made here by
 * openssl): the sign-in stops at the handshake with a plain error, and the
 * password never leaves. */
static void
test_tls_untrusted (void)
{
  g_autofree char *dir = g_dir_make_tmp ("ringline-tls-XXXXXX", NULL);
  g_autofree char *cert_path = g_build_filename (dir, "cert.pem", NULL);
  g_autofree char *key_path = g_build_filename (dir, "key.pem", NULL);
  g_autofree char *cmd
    = g_strdup_printf ("openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=127.0.0.1"
                       " -addext subjectAltName=IP:127.0.0.1 -keyout %s -out %s",
                       key_path, cert_path);
  g_autoptr (GError) error = NULL;
  g_autoptr (GTlsCertificate) cert = NULL;
  g_autoptr (SoupServer) server = NULL;
  g_autoptr (RlSession) session = new_session ();
  g_autoslist (GUri) uris = NULL;
  g_autofree char *url = NULL;
  guint requests = 0;
  int status = 0;

  g_assert_true (g_spawn_command_line_sync (cmd, NULL, NULL, &status, &error));
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  cert = g_tls_certificate_new_from_files (cert_path, key_path, &error);
  g_assert_no_error (error);
  server = soup_server_new ("tls-certificate", cert, NULL);
  soup_server_add_handler (server, NULL, count_request, &requests, NULL);
  g_assert_true (soup_server_listen_local (
    server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY | SOUP_SERVER_LISTEN_HTTPS, &error));
  uris = soup_server_get_uris (server);
  url = g_strdup_printf ("https://127.0.0.1:%d", g_uri_get_port (uris->data));

  g_assert_false (sign_in_at (session, url, rl_test_lab_backend_email (lab, 0),
                              rl_test_lab_backend_password (lab, 0), &error));
  g_assert_error (error, RL_ERROR, RL_ERROR_BACKEND);
  g_assert_nonnull (strstr (error->message, "certificate is not trusted"));
  g_assert_cmpuint (requests, ==, 0);
  g_assert_false (rl_session_get_signed_in (session));
  soup_server_disconnect (server);
  g_remove (cert_path);
  g_remove (key_path);
  g_rmdir (dir);
}

/* The clock jumps (a suspended laptop, NTP, a server corrected): Ringline
 * judges no token by any clock, so a jump forward is one 401 and one
 * refresh, and a jump back is nothing at all. Timers run on the monotonic
 * clock. */
static void
test_clock_jump (void)
{
  g_autoptr (GSettings) settings = g_settings_new (APP_ID);
  g_autoptr (RlSession) session = new_session ();
  gint64 before;

  g_settings_set_uint (settings, "session-check-interval", 1);
  sign_in (session);
  before = rl_test_lab_backend_stat (lab, "refreshes");
  rl_test_lab_backend_clock (lab, 2 * 24 * 3600);
  g_assert_true (rl_test_wait (refreshed_once, (gpointer[]){ &before }, 15));
  rl_test_sleep (2500); /* two more checks with the new token */
  g_assert_cmpint (rl_test_lab_backend_stat (lab, "refreshes"), ==, before + 1);
  g_assert_true (rl_session_get_signed_in (session));

  rl_test_lab_backend_clock (lab, -2 * 24 * 3600);
  rl_test_sleep (2500);
  g_assert_cmpint (rl_test_lab_backend_stat (lab, "refreshes"), ==, before + 1);
  g_assert_true (rl_session_get_signed_in (session));
  rl_test_lab_backend_clock (lab, 0);
  g_settings_reset (settings, "session-check-interval");
  rl_session_sign_out (session, RL_SIGNED_OUT_ASKED);
}

/* Each way a backend can answer badly is a clear error, not a crash or a
 * half sign-in. */
static void
test_bad_replies (void)
{
  static const char *const modes[] = { "garbage", "partial", "types", "nested", "huge", "500" };
  g_autoptr (RlSession) session = new_session ();
  g_autoptr (GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (modes); i++)
    {
      g_test_message ("fault %s", modes[i]);
      rl_test_lab_backend_fault (lab, "/oauth/token", modes[i], 1, 0);
      g_assert_false (sign_in_as (session, rl_test_lab_backend_email (lab, 0),
                                  rl_test_lab_backend_password (lab, 0), &error));
      g_assert_true (error->domain == RL_ERROR);
      g_assert_cmpint (error->code, ==, RL_ERROR_BACKEND);
      if (g_str_equal (modes[i], "nested"))
        g_assert_nonnull (strstr (error->message, "nested deeper than 64"));
      g_assert_false (rl_session_get_signed_in (session));
      g_clear_error (&error);
    }
  rl_test_lab_backend_fault (lab, "/", "none", 0, 0);

  rl_test_lab_backend_stop (lab);
  g_assert_false (sign_in_as (session, rl_test_lab_backend_email (lab, 0),
                              rl_test_lab_backend_password (lab, 0), &error));
  g_assert_error (error, RL_ERROR, RL_ERROR_OFFLINE);
  g_clear_error (&error);
  rl_test_lab_backend_start (lab);

  rl_test_lab_backend_fault (lab, "/oauth/", "slow", 0, 800);
  sign_in (session);
  rl_test_lab_backend_fault (lab, "/", "none", 0, 0);
  rl_session_sign_out (session, RL_SIGNED_OUT_ASKED);
}

static gboolean
on_stolen (GSocketService *service, GSocketConnection *connection, GObject *source,
           gpointer user_data)
{
  (*(guint *) user_data)++;
  return TRUE;
}

static void
on_reply (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GError **error = user_data;
  JsonNode *reply = rl_backend_request_finish (RL_BACKEND (source), result, error);

  g_assert_null (reply);
  g_assert_nonnull (*error);
}

static gboolean
has_error (gpointer data)
{
  return *(GError **) data != NULL;
}

/* A backend that redirects is not followed: neither the password (a POST)
 * nor the bearer token (a GET, which an HTTP client follows by default)
 * reaches the place it points to. */
static void
test_redirect_not_followed (void)
{
  g_autoptr (RlSession) session = new_session ();
  g_autoptr (GSocketService) thief = g_socket_service_new ();
  g_autoptr (GInetAddress) lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr (GSocketAddress) any = g_inet_socket_address_new (lo, 0);
  g_autoptr (GSocketAddress) bound = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *location = NULL;
  guint stolen = 0;

  g_assert_true (g_socket_listener_add_address (G_SOCKET_LISTENER (thief), any,
                                                G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL,
                                                &bound, &error));
  g_assert_no_error (error);
  g_signal_connect (thief, "incoming", G_CALLBACK (on_stolen), &stolen);
  g_socket_service_start (thief);
  location = g_strdup_printf ("http://127.0.0.1:%u/steal",
                              g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
  rl_test_lab_backend_redirect (lab, "/", location);
  g_assert_false (sign_in_as (session, rl_test_lab_backend_email (lab, 0),
                              rl_test_lab_backend_password (lab, 0), &error));
  g_assert_error (error, RL_ERROR, RL_ERROR_BACKEND);
  g_assert_nonnull (strstr (error->message, "redirects"));
  g_clear_error (&error);

  sign_in (session);
  rl_test_lab_backend_redirect (lab, "/oauth/session", location);
  rl_backend_request_async (rl_session_get_backend (session), "GET", "/oauth/session", NULL,
                            RL_BACKEND_REQUEST_AUTH, NULL, on_reply, &error);
  g_assert_true (rl_test_wait (has_error, &error, 10));
  g_assert_error (error, RL_ERROR, RL_ERROR_BACKEND);
  rl_test_sleep (300);
  g_assert_cmpuint (stolen, ==, 0);
  rl_test_lab_backend_fault (lab, "/", "none", 0, 0);
  rl_session_sign_out (session, RL_SIGNED_OUT_ASKED);
  g_socket_service_stop (thief);
}

/* Signing out in one instance revokes the tokens; the other notices at its
 * next session check and signs out too. */
static void
test_sign_out_elsewhere (void)
{
  g_autoptr (GSettings) settings = g_settings_new (APP_ID);
  g_autoptr (RlSession) here = new_session ();
  g_autoptr (RlSession) there = new_session ();

  g_settings_set_uint (settings, "session-check-interval", 1);
  sign_in (here);
  sign_in (there);
  rl_session_sign_out (here, RL_SIGNED_OUT_ASKED);
  g_assert_true (rl_test_wait (is_signed_out, there, 15));
  g_settings_reset (settings, "session-check-interval");
}

/* ---- call history ---- */

static GVariant *
make_record (guint i)
{
  g_autofree char *id = g_uuid_string_random ();
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr (GDateTime) date = g_date_time_add_seconds (now, -1000.0 + i);
  g_autofree char *iso = g_date_time_format_iso8601 (date);
  g_autofree char *number = g_strdup_printf ("+1555000%04u", i);
  GVariantBuilder b;

  g_variant_builder_init (&b, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&b, "{sv}", "id", g_variant_new_string (id));
  g_variant_builder_add (&b, "{sv}", "date", g_variant_new_string (iso));
  g_variant_builder_add (&b, "{sv}", "direction", g_variant_new_string ("outbound"));
  g_variant_builder_add (&b, "{sv}", "status", g_variant_new_string ("answered"));
  g_variant_builder_add (&b, "{sv}", "from", g_variant_new_string ("1001"));
  g_variant_builder_add (&b, "{sv}", "to", g_variant_new_string (number));
  g_variant_builder_add (&b, "{sv}", "duration", g_variant_new_uint32 (i));
  g_variant_builder_add (&b, "{sv}", "order_id", g_variant_new_string ("ORD-7"));
  return g_variant_ref_sink (g_variant_builder_end (&b));
}

static guint
n_synced (RlHistory *history)
{
  g_autoptr (GVariant) rows = rl_test_read_history (history, 0, 1000, NULL);
  guint n = 0;

  for (gsize i = 0; i < g_variant_n_children (rows); i++)
    {
      g_autoptr (GVariant) row = g_variant_get_child_value (rows, i);
      gboolean synced = FALSE;

      g_variant_lookup (row, "synced", "b", &synced);
      n += synced;
    }
  return n;
}

static gint64
backend_total (const char *access)
{
  g_autoptr (JsonNode) reply = rl_test_lab_backend_request (
    lab, "GET", "/api/call-history?limit=1&offset=0", access, NULL, NULL);

  return json_object_get_int_member (json_node_get_object (reply), "total");
}

static char *
temp_db (const char *name)
{
  g_autofree char *dir = g_dir_make_tmp ("ringline-history-XXXXXX", NULL);

  return g_build_filename (dir, name, NULL);
}

typedef struct
{
  RlHistory *history;
  guint want;
} SyncWait;

static gboolean
all_synced (gpointer data)
{
  SyncWait *wait = data;

  return n_synced (wait->history) == wait->want;
}

/* 50 calls end while the backend goes down and comes back: every row
 * reaches it exactly once, none is lost locally. */
static void
test_outbox_survives_backend_restart (void)
{
  g_autofree char *path = temp_db ("history.db");
  g_autoptr (RlHistory) history = rl_history_new (path);
  g_autoptr (RlSession) session = new_session ();
  g_autoptr (RlHistorySync) sync = rl_history_sync_new (history, session);
  g_autoptr (GVariant) rows = NULL;
  g_autofree char *access = NULL;
  const char *owner;
  SyncWait wait = { history, 50 };
  gint64 before;

  sign_in (session);
  owner = rl_session_get_user_id (session);
  rl_history_set_owner (history, owner);
  access = g_strdup (rl_backend_get_access_token (rl_session_get_backend (session)));
  before = backend_total (access);
  for (guint i = 0; i < 50; i++)
    {
      g_autoptr (GVariant) record = make_record (i);

      rl_history_add (history, record, owner, FALSE);
      if (i == 20)
        rl_test_lab_backend_stop (lab);
    }
  rl_test_sleep (1500);
  rl_test_lab_backend_start (lab);
  g_assert_true (rl_test_wait (all_synced, &wait, 60));
  g_assert_cmpint (backend_total (access), ==, before + 50);

  rows = rl_test_read_history (history, 0, 100, NULL);
  g_assert_cmpuint (g_variant_n_children (rows), ==, 50);
  {
    g_autoptr (GVariant) newest = g_variant_get_child_value (rows, 0);
    const char *to = NULL, *order = NULL;

    g_assert_true (g_variant_lookup (newest, "to", "&s", &to));
    g_assert_cmpstr (to, ==, "+15550000049");
    g_assert_true (g_variant_lookup (newest, "order_id", "&s", &order));
    g_assert_cmpstr (order, ==, "ORD-7");
  }
  rl_session_sign_out (session, RL_SIGNED_OUT_ASKED);
}

static char *
backend_login (void)
{
  g_autofree char *body
    = g_strdup_printf ("{\"email\": \"%s\", \"password\": \"%s\"}",
                       rl_test_lab_backend_email (lab, 1), rl_test_lab_backend_password (lab, 1));
  g_autoptr (JsonNode) reply
    = rl_test_lab_backend_request (lab, "POST", "/oauth/token", NULL, body, NULL);

  return g_strdup (json_object_get_string_member (json_node_get_object (reply), "access_token"));
}

/* A fresh database after sign-in gets the backend's rows (three another
 * client stored, one of them in the seeds' fields only), as synced. */
static void
test_merge_on_sign_in (void)
{
  g_autofree char *path = temp_db ("history.db");
  g_autoptr (RlHistory) history = rl_history_new (path);
  g_autoptr (RlSession) session = new_session ();
  g_autoptr (RlHistorySync) sync = rl_history_sync_new (history, session);
  g_autoptr (GVariant) rows = NULL;
  g_autofree char *access = backend_login ();
  g_autoptr (GError) error = NULL;
  SyncWait wait = { history, 0 };
  gint64 total;
  guint status = 0;

  for (guint i = 0; i < 2; i++)
    {
      g_autoptr (GVariant) record = make_record (100 + i);
      g_autoptr (JsonNode) body = rl_history_sync_record_to_json (record);
      g_autofree char *text = json_to_string (body, FALSE);

      json_node_unref (
        rl_test_lab_backend_request (lab, "POST", "/api/call-history", access, text, &status));
      g_assert_cmpuint (status, ==, 201);
    }
  json_node_unref (rl_test_lab_backend_request (
    lab, "POST", "/api/call-history", access,
    "{\"callId\": \"web-1\", \"startedAt\": 1700000000000, \"direction\": \"inbound\","
    " \"status\": \"missed\", \"phoneNumber\": \"+15559990000\"}",
    &status));
  g_assert_cmpuint (status, ==, 201);
  g_assert_true (sign_in_as (session, rl_test_lab_backend_email (lab, 1),
                             rl_test_lab_backend_password (lab, 1), &error));
  g_assert_no_error (error);
  rl_history_set_owner (history, rl_session_get_user_id (session));
  total = backend_total (rl_backend_get_access_token (rl_session_get_backend (session)));
  g_assert_cmpint (total, >, 0);
  wait.want = MIN (total, 1000);
  g_assert_true (rl_test_wait (all_synced, &wait, 30));
  rows = rl_test_read_history (history, 0, 10, NULL);
  g_assert_cmpuint (g_variant_n_children (rows), ==, total);
  {
    /* The seeds-only row is the oldest: 2023. */
    g_autoptr (GVariant) web = g_variant_get_child_value (rows, g_variant_n_children (rows) - 1);
    const char *id = NULL, *from = NULL;

    g_assert_true (g_variant_lookup (web, "id", "&s", &id));
    g_assert_cmpstr (id, ==, "web-1");
    g_assert_true (g_variant_lookup (web, "from", "&s", &from));
    g_assert_cmpstr (from, ==, "+15559990000");
  }
  rl_session_sign_out (session, RL_SIGNED_OUT_ASKED);
}

/* The schema is versioned; a database from a newer Ringline is not
 * misread: it is kept aside and a new one started. */
static void
test_schema_version (void)
{
  g_autofree char *path = temp_db ("history.db");
  g_autoptr (GVariant) rows = NULL;
  g_autoptr (GError) error = NULL;
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  {
    g_autoptr (RlHistory) history = rl_history_new (path);

    rows = rl_test_read_history (history, 0, 10, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (g_variant_n_children (rows), ==, 0);
  }
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  sqlite3_prepare_v2 (db, "PRAGMA user_version", -1, &stmt, NULL);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, RL_HISTORY_SCHEMA_VERSION);
  sqlite3_finalize (stmt);
  sqlite3_exec (db, "PRAGMA user_version=99", NULL, NULL, NULL);
  sqlite3_close (db);
  {
    g_autoptr (RlHistory) history = rl_history_new (path);
    g_autoptr (GVariant) fresh = NULL;

    g_test_expect_message ("RlHistory", G_LOG_LEVEL_WARNING, "*newer Ringline*kept as*");
    fresh = rl_test_read_history (history, 0, 10, &error);
    g_test_assert_expected_messages ();
    g_assert_no_error (error);
    g_assert_cmpuint (g_variant_n_children (fresh), ==, 0);
  }
}

static gboolean
row_refused (gpointer data)
{
  g_autoptr (GVariant) rows = rl_test_read_history (data, 0, 10, NULL);

  for (gsize i = 0; i < g_variant_n_children (rows); i++)
    {
      g_autoptr (GVariant) row = g_variant_get_child_value (rows, i);

      if (g_variant_lookup (row, "sync_error", "&s", NULL))
        return TRUE;
    }
  return FALSE;
}

/* A row the backend refuses for good (400) is parked with its refusal and
 * the others go on; a 403 refreshes the tokens and the row goes after. */
static void
test_outbox_parks_refused (void)
{
  g_autofree char *path = temp_db ("history.db");
  g_autoptr (RlHistory) history = rl_history_new (path);
  g_autoptr (RlSession) session = new_session ();
  g_autoptr (RlHistorySync) sync = rl_history_sync_new (history, session);
  SyncWait wait = { history, 3 };
  GLogLevelFlags fatal;
  gint64 refreshes;

  sign_in (session);
  rl_history_set_owner (history, rl_session_get_user_id (session));
  fatal = g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);
  rl_test_lab_backend_fault_method (lab, "POST", "/api/call-history", "400", 1, 0);
  for (guint i = 0; i < 4; i++)
    {
      g_autoptr (GVariant) record = make_record (200 + i);

      rl_history_add (history, record, rl_session_get_user_id (session), FALSE);
    }
  g_assert_true (rl_test_wait (all_synced, &wait, 30));
  g_assert_true (row_refused (history));
  g_log_set_always_fatal (fatal);
  {
    g_autoptr (GVariant) rows = rl_test_read_history (history, 0, 10, NULL);
    g_autoptr (GVariant) oldest = g_variant_get_child_value (rows, 3);
    const char *why = NULL;

    g_assert_true (g_variant_lookup (oldest, "sync_error", "&s", &why));
    g_assert_nonnull (strstr (why, "400"));
  }

  refreshes = rl_test_lab_backend_stat (lab, "refreshes");
  rl_test_lab_backend_fault_method (lab, "POST", "/api/call-history", "403", 1, 0);
  {
    g_autoptr (GVariant) record = make_record (210);

    rl_history_add (history, record, rl_session_get_user_id (session), FALSE);
  }
  wait.want = 4;
  g_assert_true (rl_test_wait (all_synced, &wait, 30));
  g_assert_cmpint (rl_test_lab_backend_stat (lab, "refreshes"), ==, refreshes + 1);
  rl_session_sign_out (session, RL_SIGNED_OUT_ASKED);
}

/* The local row of @call_id (the backend's earlier rows are merged in at
 * sign-in, so it need not be the newest). */
static GVariant *
history_row (RlHistory *history, const char *call_id)
{
  g_autoptr (GVariant) rows = rl_test_read_history (history, 0, 1000, NULL);

  for (gsize i = 0; i < g_variant_n_children (rows); i++)
    {
      g_autoptr (GVariant) row = g_variant_get_child_value (rows, i);

      if (g_str_equal (rl_history_record_text (row, "id"), call_id))
        return g_steal_pointer (&row);
    }
  return NULL;
}

typedef struct
{
  RlHistory *history;
  const char *call_id;
} RowWait;

static gboolean
row_synced (gpointer data)
{
  RowWait *wait = data;
  g_autoptr (GVariant) row = history_row (wait->history, wait->call_id);
  gboolean synced = FALSE;

  return row && g_variant_lookup (row, "synced", "b", &synced) && synced;
}

static gboolean
found_done (gpointer data)
{
  return ((gboolean *) data)[0];
}

static void
on_data_set (GObject *source, GAsyncResult *result, gpointer user_data)
{
  gboolean *found = user_data;
  g_autoptr (GError) error = NULL;

  g_assert_true (rl_history_set_data_finish (RL_HISTORY (source), result, &found[1], &error));
  g_assert_no_error (error);
  found[0] = TRUE;
}

/* Returns: whether the history has @call_id */
static gboolean
set_data (RlHistory *history, const char *call_id, GVariant *data)
{
  gboolean found[2] = { FALSE, FALSE };

  rl_history_set_data_async (history, call_id, data, NULL, on_data_set, found);
  g_assert_true (rl_test_wait (found_done, found, 10));
  return found[1];
}

/* The backend's copy of call @call_id. */
static JsonObject *
backend_call (const char *access, const char *call_id)
{
  g_autoptr (JsonNode) reply = rl_test_lab_backend_request (
    lab, "GET", "/api/call-history?limit=1000&offset=0", access, NULL, NULL);
  JsonArray *calls = json_object_get_array_member (json_node_get_object (reply), "calls");

  for (guint i = 0; i < json_array_get_length (calls); i++)
    {
      JsonObject *call = json_array_get_object_element (calls, i);

      if (g_strcmp0 (json_object_get_string_member (call, "callId"), call_id) == 0)
        return json_object_ref (call);
    }
  return NULL;
}

/* Data a CRM attaches after the backend has the call reaches it by PATCH:
 * the engagement id at the top, every key under "data", the whole record
 * for another Ringline; the local row has it too, synced again. */
static void
test_data_reaches_backend (void)
{
  g_autofree char *path = temp_db ("history.db");
  g_autoptr (RlHistory) history = rl_history_new (path);
  g_autoptr (RlSession) session = new_session ();
  g_autoptr (RlHistorySync) sync = rl_history_sync_new (history, session);
  g_autoptr (GVariant) record = make_record (1);
  g_autoptr (JsonObject) stored = NULL;
  g_autofree char *access = NULL;
  const char *id = rl_history_record_text (record, "id");
  RowWait wait = { history, id };
  gint64 patches;
  JsonObject *data;

  sign_in (session);
  rl_history_set_owner (history, rl_session_get_user_id (session));
  access = g_strdup (rl_backend_get_access_token (rl_session_get_backend (session)));
  rl_history_add (history, record, rl_session_get_user_id (session), FALSE);
  g_assert_true (rl_test_wait (row_synced, &wait, 30));
  patches = rl_test_lab_backend_stat (lab, "history_patches");

  g_assert_false (set_data (history, "no-such-call", g_variant_new_parsed ("{'a': <'b'>}")));
  g_assert_true (
    set_data (history, id, g_variant_new_parsed ("{'engagement_id': <'E-42'>, 'score': <5>}")));
  g_assert_false (row_synced (&wait));
  g_assert_true (rl_test_wait (row_synced, &wait, 30));
  g_assert_cmpint (rl_test_lab_backend_stat (lab, "history_patches"), ==, patches + 1);

  stored = backend_call (access, id);
  g_assert_nonnull (stored);
  g_assert_cmpstr (json_object_get_string_member (stored, "engagementId"), ==, "E-42");
  g_assert_cmpstr (json_object_get_string_member (stored, "orderId"), ==, "ORD-7");
  data = json_object_get_object_member (stored, "data");
  g_assert_cmpint (json_object_get_int_member (data, "score"), ==, 5);
  g_assert_nonnull (strstr (json_object_get_string_member (stored, "record"), "E-42"));
  {
    g_autoptr (GVariant) row = history_row (history, id);
    const char *engagement = NULL;

    g_assert_true (g_variant_lookup (row, "engagement_id", "&s", &engagement));
    g_assert_cmpstr (engagement, ==, "E-42");
  }
  rl_session_sign_out (session, RL_SIGNED_OUT_ASKED);
}

/* A deployment moves endpoints: the token to another path, the agent status
 * to a URL of its own (here the same lab under /moved/); the others stay.
 * A table naming an unknown endpoint or an address in clear is refused
 * whole. */
static void
test_endpoints (void)
{
  g_autoptr (GSettings) settings = g_settings_new (APP_ID);
  g_autoptr (RlSession) session = NULL;
  g_autofree char *status_url
    = g_strdup_printf ("%s/moved/api/agent-status", rl_test_lab_backend_url (lab));
  g_autoptr (GVariant) table = NULL;
  g_autoptr (GError) error = NULL;
  gint64 before = rl_test_lab_backend_stat (lab, "moved_requests");
  RlBackend *backend;

  table = g_variant_ref_sink (
    g_variant_new_parsed ("{'token': '/moved/oauth/token', 'agent-status': %s}", status_url));
  g_settings_set_value (settings, "backend-endpoints", table);
  session = rl_session_new (settings);
  sign_in (session);
  g_assert_cmpint (rl_test_lab_backend_stat (lab, "moved_requests"), ==, before + 1);
  backend = rl_session_get_backend (session);
  {
    g_autoptr (GAsyncResult) result = NULL;
    g_autoptr (JsonNode) reply = NULL;

    rl_backend_request_async (backend, "GET", "/api/agent-status", NULL, RL_BACKEND_REQUEST_AUTH,
                              NULL, rl_test_keep_result, &result);
    reply = rl_backend_request_finish (backend, rl_test_wait_result (&result, 10), &error);
    g_assert_no_error (error);
  }
  g_assert_cmpint (rl_test_lab_backend_stat (lab, "moved_requests"), ==, before + 2);

  g_assert_false (
    rl_backend_set_endpoints (backend, g_variant_new_parsed ("{'tokens': '/x'}"), &error));
  g_assert_error (error, RL_ERROR, RL_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_false (rl_backend_set_endpoints (
    backend, g_variant_new_parsed ("{'recording': 'http://api.example.com/rec'}"), &error));
  g_assert_error (error, RL_ERROR, RL_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  rl_session_sign_out (session, RL_SIGNED_OUT_ASKED);
  g_settings_reset (settings, "backend-endpoints");
}

/* A session whose extension has no SIP password of its own: the password
 * is user_id@sip_domain (docs/backend-api.md); the domain's country is the
 * account's. */
static void
test_password_rule (void)
{
  g_autoptr (JsonNode) root = json_from_string (
    "{\"user\": {\"user_id\": \"501\", \"name\": \"Ana\", \"dialer_config\": {\"domains\":"
    " [{\"sip_domain\": \"pbx.example.com\", \"country_code\": \"852\", \"keepalive_interval\": 15,"
    " \"extensions\": [{\"extension\": \"1001\"}]}]}}}",
    NULL);
  g_autofree char *region = NULL;
  g_autoptr (GVariant) agent = NULL;
  g_autoptr (RlAccount) account = NULL;
  g_autoptr (GError) error = NULL;

  g_assert_true (_rl_session_parse_reply (root, &agent, &account, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (rl_account_get_username (account), ==, "1001");
  g_assert_cmpstr (rl_account_get_password (account), ==, "501@pbx.example.com");
  region = rl_account_dup_region (account);
  g_assert_cmpstr (region, ==, "HK");
  g_assert_cmpuint (rl_account_get_keepalive_interval (account), ==, 15);
}

/* Backend rows from other clients, typed wrong or missing fields. */
static void
test_record_from_json (void)
{
  static const char *const bad[] = {
    "{}",
    "{\"callId\": 7, \"startedAt\": 1}",
    "{\"callId\": \"x\", \"startedAt\": \"yesterday\"}",
  };
  g_autoptr (JsonNode) good = json_from_string (
    "{\"callId\": \"c-1\", \"startedAt\": 1700000000000, \"direction\": \"inbound\","
    " \"status\": \"missed\", \"phoneNumber\": \"+15551234567\", \"record\": \"garbage(\"}",
    NULL);
  g_autoptr (GVariant) record
    = rl_history_sync_record_from_json (json_node_get_object (good), NULL);
  const char *from = NULL;

  g_assert_nonnull (record);
  g_assert_true (g_variant_lookup (record, "from", "&s", &from));
  g_assert_cmpstr (from, ==, "+15551234567");
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr (JsonNode) node = json_from_string (bad[i], NULL);
      g_autoptr (GError) error = NULL;

      g_assert_null (rl_history_sync_record_from_json (json_node_get_object (node), &error));
      g_assert_error (error, RL_ERROR, RL_ERROR_BACKEND);
    }
}

/* The backend hands an agent at home a TURN server: the phone's account
 * carries it, its password stays out of the log, and the account registers. */
static void
test_provisions_media_nat (void)
{
  g_autoptr (RlCore) core = rl_core_new ();
  RlSession *session = rl_core_get_session (core);
  RlPhone *phone = rl_core_get_phone (core);
  g_autoptr (GVariant) turn = rl_test_lab_turn_settings (lab, FALSE);
  g_autoptr (GError) error = NULL;
  const char *server = NULL, *password = NULL;
  RlAccount *account;

  if (turn == NULL)
    {
      g_test_skip ("coturn is not installed (./dev test installs it)");
      return;
    }
  g_variant_ref_sink (turn);
  g_assert_true (g_variant_lookup (turn, "turn_server", "&s", &server));
  g_assert_true (g_variant_lookup (turn, "turn_password", "&s", &password));
  rl_core_startup (core);
  g_assert_true (sign_in_as (session, rl_test_lab_backend_email (lab, 2),
                             rl_test_lab_backend_password (lab, 2), &error));
  g_assert_no_error (error);
  g_assert_true (rl_test_wait (rl_test_phone_is_registered, phone, 30));
  account = rl_phone_get_account (phone);
  g_assert_cmpstr (rl_account_get_turn_server (account), ==, server);
  g_assert_cmpstr (rl_account_get_turn_password (account), ==, password);
  g_assert_cmpstr (rl_account_get_media_nat (account), ==, "turn");
  g_assert_null (strstr (captured_log->str, password));
  rl_session_sign_out (session, RL_SIGNED_OUT_ASKED);
  rl_core_shutdown (core);
}

int
main (int argc, char **argv)
{
  int status;

  rl_test_setup_env ();
  rl_test_install_browser ();
  g_setenv ("G_MESSAGES_DEBUG", "all", TRUE);
  g_test_init (&argc, &argv, NULL);
  captured_log = g_string_new (NULL);
  g_log_set_writer_func (capture_log, NULL, NULL);
  lab = rl_test_lab_start ();
  g_test_add_func ("/backend/sign-in-registers", test_sign_in_registers);
  g_test_add_func ("/backend/wrong-password", test_wrong_password);
  g_test_add_func ("/backend/sign-in-with-browser", test_sign_in_with_browser);
  g_test_add_func ("/backend/refresh-single-flight", test_refresh_single_flight);
  g_test_add_func ("/backend/refresh-refused", test_refresh_refused);
  g_test_add_func ("/backend/restore", test_restore);
  g_test_add_func ("/backend/bad-replies", test_bad_replies);
  g_test_add_func ("/backend/clock-jump", test_clock_jump);
  g_test_add_func ("/backend/tls-untrusted", test_tls_untrusted);
  g_test_add_func ("/backend/sign-out-elsewhere", test_sign_out_elsewhere);
  g_test_add_func ("/backend/provisions-media-nat", test_provisions_media_nat);
  g_test_add_func ("/backend/redirect-not-followed", test_redirect_not_followed);
  g_test_add_func ("/backend/outbox-parks-refused", test_outbox_parks_refused);
  g_test_add_func ("/backend/endpoints", test_endpoints);
  g_test_add_func ("/history/data-reaches-backend", test_data_reaches_backend);
  g_test_add_func ("/backend/password-rule", test_password_rule);
  g_test_add_func ("/history/outbox-survives-backend-restart",
                   test_outbox_survives_backend_restart);
  g_test_add_func ("/history/merge-on-sign-in", test_merge_on_sign_in);
  g_test_add_func ("/history/schema-version", test_schema_version);
  g_test_add_func ("/history/record-from-json", test_record_from_json);
  status = g_test_run ();
  rl_test_lab_stop (lab);
  return status;
}
