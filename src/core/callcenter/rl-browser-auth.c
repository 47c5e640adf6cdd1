/* rl-browser-auth.c
 *
 * The call center's own sign-in page (SSO, two factors, whatever it has) runs
 * in the agent's browser, never in Ringline: a native app must not see the
 * password (RFC 8252). Ringline listens on a loopback port for the redirect
 * that carries the authorization code; PKCE ties the code to this run, so a
 * code caught by another local program is worthless, and the state parameter
 * ties the redirect to this request.
 *
 * The browser is opened with GIO, which goes through the OpenURI portal when
 * Ringline runs sandboxed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "RlBrowserAuth"

#include "rl-browser-auth.h"
#include "rl-error.h"

#include <libsoup/soup.h>
#include <sys/random.h>

/* Long enough to sign in with a second factor, not forever. */
#define WAIT_SECONDS (5 * 60)

struct _RlBrowserAuth
{
  GObject parent_instance;

  char *server;
  char *verifier;
  char *state;
  char *redirect_uri;
  SoupServer *listener;
  GTask *task; /* while waiting for the redirect */
  guint timeout_id;
  gulong cancelled_id;
};

G_DEFINE_FINAL_TYPE (RlBrowserAuth, rl_browser_auth, G_TYPE_OBJECT)

static char *
base64url (const guint8 *data, gsize length)
{
  char *text = g_base64_encode (data, length);

  g_strdelimit (text, "+", '-');
  g_strdelimit (text, "/", '_');
  g_strdelimit (text, "=", '\0');
  return text;
}

static char *
random_token (void)
{
  guint8 bytes[32];

  if (getrandom (bytes, sizeof bytes, 0) != sizeof bytes)
    g_error ("The system has no random numbers");
  return base64url (bytes, sizeof bytes);
}

static char *
s256 (const char *verifier)
{
  g_autoptr (GChecksum) sha = g_checksum_new (G_CHECKSUM_SHA256);
  guint8 digest[32];
  gsize length = sizeof digest;

  g_checksum_update (sha, (const guchar *) verifier, -1);
  g_checksum_get_digest (sha, digest, &length);
  return base64url (digest, length);
}

static char *
authorize_uri (RlBrowserAuth *self)
{
  g_autofree char *challenge = s256 (self->verifier);
  g_autofree char *redirect = g_uri_escape_string (self->redirect_uri, NULL, FALSE);
  g_autofree char *base = g_strdup (self->server);

  while (g_str_has_suffix (base, "/"))
    base[strlen (base) - 1] = '\0';
  return g_strdup_printf ("%s/oauth/authorize?response_type=code&client_id=ringline"
                          "&redirect_uri=%s&state=%s&code_challenge=%s"
                          "&code_challenge_method=S256",
                          base, redirect, self->state, challenge);
}

/* Ends the wait, once, with the code or an error. */
static void
finish (RlBrowserAuth *self, char *code, GError *error)
{
  g_autoptr (GTask) task = g_steal_pointer (&self->task);

  if (task == NULL)
    {
      g_free (code);
      g_clear_error (&error);
      return;
    }
  g_clear_handle_id (&self->timeout_id, g_source_remove);
  g_cancellable_disconnect (g_task_get_cancellable (task), self->cancelled_id);
  self->cancelled_id = 0;
  if (error)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, code, g_free);
}

static void
reply_page (SoupServerMessage *msg, guint status, const char *text)
{
  g_autofree char *escaped = g_markup_escape_text (text, -1);
  g_autofree char *page = g_strdup_printf (
    "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Ringline</title></head>"
    "<body><p>%s</p></body></html>",
    escaped);

  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "text/html; charset=utf-8", SOUP_MEMORY_COPY, page,
                                    strlen (page));
}

static void
on_redirect (SoupServer *server, SoupServerMessage *msg, const char *path, GHashTable *query,
             gpointer user_data)
{
  RlBrowserAuth *self = user_data;
  const char *code = query ? g_hash_table_lookup (query, "code") : NULL;
  const char *state = query ? g_hash_table_lookup (query, "state") : NULL;
  const char *denied = query ? g_hash_table_lookup (query, "error") : NULL;

  /* A page that did not come from our request (another tab, a stray
   * program): refused, and the real one may still come. */
  if (self->task == NULL || g_strcmp0 (state, self->state) != 0)
    return reply_page (msg, SOUP_STATUS_BAD_REQUEST,
                       "This sign-in is not the one Ringline asked for.");
  if (denied || code == NULL || *code == '\0')
    {
      const char *why = query ? g_hash_table_lookup (query, "error_description") : NULL;

      reply_page (msg, SOUP_STATUS_OK, "Sign-in failed. You can close this page.");
      return finish (self, NULL,
                     g_error_new (RL_ERROR, RL_ERROR_AUTH_FAILED, "The sign-in page refused: %s",
                                  why      ? why
                                  : denied ? denied
                                           : "no code"));
    }
  reply_page (msg, SOUP_STATUS_OK, "Signed in to Ringline. You can close this page.");
  finish (self, g_strdup (code), NULL);
}

static gboolean
on_timeout (gpointer data)
{
  RlBrowserAuth *self = data;

  self->timeout_id = 0;
  finish (self, NULL,
          g_error_new_literal (RL_ERROR, RL_ERROR_TIMED_OUT,
                               "The browser sign-in was not finished in time"));
  return G_SOURCE_REMOVE;
}

static gboolean
finish_cancelled (gpointer data)
{
  finish (data, NULL, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, "Cancelled"));
  return G_SOURCE_REMOVE;
}

/* Runs inside g_cancellable_cancel(), where disconnecting this handler would
 * deadlock: the wait ends from an idle instead. */
static void
on_cancelled (GCancellable *cancellable, RlBrowserAuth *self)
{
  g_idle_add_full (G_PRIORITY_DEFAULT, finish_cancelled, g_object_ref (self), g_object_unref);
}

static void
on_launched (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (RlBrowserAuth) self = user_data;
  g_autoptr (GError) error = NULL;

  /* Cancelled: on_cancelled() ends the wait. */
  if (!g_app_info_launch_default_for_uri_finish (result, &error)
      && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    finish (
      self, NULL,
      g_error_new (RL_ERROR, RL_ERROR_FAILED, "Could not open the browser: %s", error->message));
}

static gboolean
listen_loopback (RlBrowserAuth *self, GError **error)
{
  g_autoptr (GSList) uris = NULL;
  g_autoptr (GError) local = NULL;

  self->listener = soup_server_new ("server-header", "Ringline", NULL);
  soup_server_add_handler (self->listener, "/callback", on_redirect, self, NULL);
  if (!soup_server_listen_local (self->listener, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &local))
    {
      g_set_error (error, RL_ERROR, RL_ERROR_FAILED, "Cannot listen for the browser's answer: %s",
                   local->message);
      return FALSE;
    }
  uris = soup_server_get_uris (self->listener);
  self->redirect_uri
    = g_strdup_printf ("http://127.0.0.1:%d/callback", g_uri_get_port (uris->data));
  g_slist_free_full (g_steal_pointer (&uris), (GDestroyNotify) g_uri_unref);
  return TRUE;
}

/**
 * rl_browser_auth_run_async:
 *
 * Opens the backend's sign-in page in the browser and waits, up to five
 * minutes, for it to send the agent back with an authorization code.
 */
void
rl_browser_auth_run_async (RlBrowserAuth *self, GCancellable *cancellable,
                           GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr (GTask) task = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *uri = NULL;

  g_return_if_fail (self->task == NULL && self->listener == NULL);
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, rl_browser_auth_run_async);
  if (!listen_loopback (self, &error))
    return g_task_return_error (task, g_steal_pointer (&error));
  uri = authorize_uri (self);
  self->task = g_steal_pointer (&task);
  self->timeout_id = g_timeout_add_seconds (WAIT_SECONDS, on_timeout, self);
  if (cancellable)
    self->cancelled_id = g_cancellable_connect (cancellable, G_CALLBACK (on_cancelled), self, NULL);
  g_app_info_launch_default_for_uri_async (uri, NULL, cancellable, on_launched,
                                           g_object_ref (self));
}

/**
 * rl_browser_auth_run_finish:
 *
 * Returns: (transfer full): the authorization code
 */
char *
rl_browser_auth_run_finish (RlBrowserAuth *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* What the token request proves the code with. */
const char *
rl_browser_auth_get_verifier (RlBrowserAuth *self)
{
  g_return_val_if_fail (RL_IS_BROWSER_AUTH (self), NULL);

  return self->verifier;
}

const char *
rl_browser_auth_get_redirect_uri (RlBrowserAuth *self)
{
  g_return_val_if_fail (RL_IS_BROWSER_AUTH (self), NULL);

  return self->redirect_uri;
}

static void
rl_browser_auth_dispose (GObject *object)
{
  RlBrowserAuth *self = RL_BROWSER_AUTH (object);

  g_clear_handle_id (&self->timeout_id, g_source_remove);
  if (self->listener)
    soup_server_disconnect (self->listener);
  g_clear_object (&self->listener);
  G_OBJECT_CLASS (rl_browser_auth_parent_class)->dispose (object);
}

static void
rl_browser_auth_finalize (GObject *object)
{
  RlBrowserAuth *self = RL_BROWSER_AUTH (object);

  g_free (self->server);
  g_free (self->verifier);
  g_free (self->state);
  g_free (self->redirect_uri);
  G_OBJECT_CLASS (rl_browser_auth_parent_class)->finalize (object);
}

static void
rl_browser_auth_class_init (RlBrowserAuthClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = rl_browser_auth_dispose;
  G_OBJECT_CLASS (klass)->finalize = rl_browser_auth_finalize;
}

static void
rl_browser_auth_init (RlBrowserAuth *self)
{
  self->verifier = random_token ();
  self->state = random_token ();
}

RlBrowserAuth *
rl_browser_auth_new (const char *server)
{
  RlBrowserAuth *self = g_object_new (RL_TYPE_BROWSER_AUTH, NULL);

  self->server = g_strdup (server);
  return self;
}
