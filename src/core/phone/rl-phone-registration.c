/* rl-phone-registration.c
 *
 * The account lives in baresip as a user agent ("uanew"); registering again
 * means adding it anew, since baresip 1.0 has no command to re-register a
 * user agent. Failover moves to the next server on no answer or a server
 * error.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "RlPhone"

#include "rl-error.h"
#include "rl-phone-private.h"

#define REGISTER_INTERVAL 600

/* How the media crosses NAT: baresip's medianat with its server. ICE takes
 * its candidates from the TURN server when there is one (relay and
 * server-reflexive), else from the STUN server. The TURN password rides in
 * "uanew", which is never logged. */
static void
append_media_nat (GString *p, RlAccount *a)
{
  const char *nat = rl_account_get_media_nat (a);
  const char *turn = rl_account_get_turn_server (a);
  const char *stun = rl_account_get_stun_server (a);

  if (nat == NULL)
    return;
  g_string_append_printf (p, ";medianat=%s", nat);
  if (*turn && !g_str_equal (nat, "stun"))
    g_string_append_printf (p, ";stunserver=turn:%s;stunuser=%s;stunpass=%s", turn,
                            rl_account_get_turn_username (a), rl_account_get_turn_password (a));
  else if (*stun)
    g_string_append_printf (p, ";stunserver=stun:%s", stun);
}

static char *
build_ua_params (RlPhone *self, gboolean do_register)
{
  RlAccount *a = self->account;
  const char *const *servers = rl_account_get_servers (a);
  const char *server = servers[self->server % g_strv_length ((char **) servers)];
  const char *transport = rl_account_get_transport (a);
  g_autofree char *domain = rl_account_dup_domain (a);
  g_autofree char *proxy = NULL;
  GString *p = g_string_new (NULL);

  /* A quoted-string (RFC 3261): a backslash escapes the next character, so
   * a name that ends in one would swallow its closing quote. */
  if (*rl_account_get_display_name (a))
    {
      g_auto (GStrv) parts = g_strsplit (rl_account_get_display_name (a), "\\", -1);
      g_autofree char *escaped = g_strjoinv ("\\\\", parts);

      g_string_append_printf (p, "\"%s\" ", escaped);
    }
  g_string_append_printf (p, "<sip:%s@%s;transport=%s>", rl_account_get_username (a), domain,
                          transport);
  proxy = g_str_has_prefix (server, "sip")
            ? g_strdup (server)
            : g_strdup_printf ("sip:%s;transport=%s", server, transport);
  g_string_append_printf (p, ";outbound1=\"%s\"", proxy);
  if (!g_str_equal (rl_account_get_auth_username (a), rl_account_get_username (a)))
    g_string_append_printf (p, ";auth_user=%s", rl_account_get_auth_username (a));
  if (*rl_account_get_password (a))
    g_string_append_printf (p, ";auth_pass=%s", rl_account_get_password (a));
  g_string_append_printf (p, ";regint=%u;answermode=manual", do_register ? REGISTER_INTERVAL : 0);
  append_media_nat (p, a);
  if (rl_account_get_media_enc (a))
    g_string_append_printf (p, ";mediaenc=%s", rl_account_get_media_enc (a));
  return g_string_free (p, FALSE);
}

static void
on_ua_reply (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (RlPhone) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autofree char *reply = rl_engine_command_finish (RL_ENGINE (source), result, &error);

  /* Not the engine's text: baresip echoes uanew's parameters, passwords
   * included, in its reply. */
  if (reply == NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) && self->wanted)
    _rl_phone_set_registration (
      self, RL_REGISTRATION_FAILED,
      g_error_matches (error, RL_ERROR, RL_ERROR_ENGINE_UNAVAILABLE)
        ? error->message
        : "The call engine refused the account (check its server, transport and NAT settings)");
}

void
_rl_phone_remove_ua (RlPhone *self)
{
  if (self->ua_aor == NULL)
    return;
  rl_engine_command_async (self->engine, "uadel", self->ua_aor, RL_CTRL_FLAGS_NONE, NULL, NULL,
                           NULL);
  g_clear_pointer (&self->ua_aor, g_free);
}

/* Adds the account to baresip; registers when the user wants it. */
void
_rl_phone_add_ua (RlPhone *self)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *params = NULL;
  gboolean do_register;

  if (self->account == NULL || rl_engine_get_state (self->engine) != RL_ENGINE_STATE_RUNNING)
    return;
  _rl_phone_remove_ua (self);
  /* An account from the backend or the settings was not checked on its way
   * in: nothing is sent that the engine cannot do safely. */
  if (!rl_phone_check_account (self, self->account, &error))
    {
      _rl_phone_set_registration (self, RL_REGISTRATION_FAILED, error->message);
      return;
    }
  do_register = self->wanted && rl_account_get_register (self->account);
  params = build_ua_params (self, do_register);
  self->ua_aor = rl_account_dup_aor (self->account);
  if (do_register)
    _rl_phone_set_registration (self, RL_REGISTRATION_REGISTERING, "");
  rl_engine_command_async (self->engine, "uanew", params, RL_CTRL_FLAGS_SECRET, self->cancellable,
                           on_ua_reply, g_object_ref (self));
  /* baresip 1.0 makes a new UA current only when no other is listed, and a
   * UA just deleted stays listed while a finished call still holds it: dials
   * would then go out from the deleted one. */
  rl_engine_command_async (self->engine, "uafind", self->ua_aor, RL_CTRL_FLAGS_NONE, NULL, NULL,
                           NULL);
}

/* An OPTIONS to the account's own address, from the port it registered
 * from, through its server and back: the NAT in between sees traffic both
 * ways and keeps the mapping that calls coming in arrive by. (baresip's
 * "options" takes a URI with a user: one without gets the domain added.) */
static gboolean
send_keepalive (gpointer data)
{
  RlPhone *self = data;
  g_autofree char *aor = rl_account_dup_aor (self->account);

  rl_engine_command_async (self->engine, "options", aor, RL_CTRL_FLAGS_QUIET, NULL, NULL, NULL);
  return G_SOURCE_CONTINUE;
}

/* Keep-alives go while a UDP account is registered; TCP and TLS keep their
 * connection, and an account that does not register expects no calls. */
void
_rl_phone_update_keepalive (RlPhone *self)
{
  guint interval = self->account ? rl_account_get_keepalive_interval (self->account) : 0;
  gboolean wanted = interval > 0 && self->reg_state == RL_REGISTRATION_REGISTERED
                    && g_str_equal (rl_account_get_transport (self->account), "udp");

  if (!wanted)
    g_clear_handle_id (&self->keepalive_id, g_source_remove);
  else if (self->keepalive_id == 0)
    self->keepalive_id = g_timeout_add_seconds (interval, send_keepalive, self);
}

gboolean
_rl_phone_ua_usable (RlPhone *self)
{
  if (self->ua_aor == NULL)
    return FALSE;
  return self->reg_state == RL_REGISTRATION_REGISTERED || !rl_account_get_register (self->account);
}

void
_rl_phone_on_registration_event (RlPhone *self, RlEngineEvent *event)
{
  if (self->ua_aor == NULL || !g_str_has_prefix (event->account_aor, self->ua_aor))
    return;
  switch (event->type)
    {
    case RL_ENGINE_EVENT_REGISTERING:
      if (self->reg_state != RL_REGISTRATION_REGISTERED)
        _rl_phone_set_registration (self, RL_REGISTRATION_REGISTERING, "");
      break;
    case RL_ENGINE_EVENT_REGISTER_OK:
      _rl_phone_set_registration (self, RL_REGISTRATION_REGISTERED, "");
      break;
    case RL_ENGINE_EVENT_REGISTER_FAIL:
      {
        const char *const *servers = rl_account_get_servers (self->account);
        guint code = (guint) g_ascii_strtoull (event->param, NULL, 10);
        g_autofree char *message = NULL;

        self->reg_problem = RL_REGISTRATION_PROBLEM_OTHER;
        if (code == 401 || code == 403 || code == 407)
          {
            self->reg_problem = RL_REGISTRATION_PROBLEM_CREDENTIALS;
            message = g_strdup_printf (
              "Registration refused: %s (check the user name and password)", event->param);
          }
        /* A TLS handshake the engine broke off: the server's certificate
         * did not check out against the trusted authorities. */
        else if (g_str_equal (rl_account_get_transport (self->account), "tls")
                 && g_str_has_prefix (event->param, "Protocol error"))
          {
            self->reg_problem = RL_REGISTRATION_PROBLEM_CERTIFICATE;
            message = g_strdup ("Registration failed: certificate not trusted (the server's TLS "
                                "certificate is not from an authority this computer trusts; a "
                                "private PBX needs its CA file in the account)");
          }
        else
          message = g_strdup_printf ("Registration failed: %s", event->param);
        _rl_phone_set_registration (self, RL_REGISTRATION_FAILED, message);
        /* No answer or a server error: the next server may do better. */
        if ((code == 0 || code >= 500) && g_strv_length ((char **) servers) > 1)
          {
            self->server++;
            _rl_phone_add_ua (self);
          }
      }
      break;
    case RL_ENGINE_EVENT_UNREGISTERING:
      if (!self->wanted)
        _rl_phone_set_registration (self, RL_REGISTRATION_UNREGISTERED, "");
      break;
    default:
      break;
    }
}

gboolean
rl_phone_register (RlPhone *self, GError **error)
{
  g_return_val_if_fail (RL_IS_PHONE (self), FALSE);

  if (self->account == NULL || !rl_account_is_complete (self->account))
    {
      g_set_error_literal (error, RL_ERROR, RL_ERROR_NO_ACCOUNT, "No SIP account is set up");
      return FALSE;
    }
  if (rl_engine_get_state (self->engine) == RL_ENGINE_STATE_MISSING)
    {
      g_set_error_literal (error, RL_ERROR, RL_ERROR_ENGINE_UNAVAILABLE,
                           rl_engine_get_error (self->engine));
      return FALSE;
    }
  self->wanted = TRUE;
  self->server = 0;
  /* baresip 1.0 has no command to register an existing UA again: add it anew. */
  _rl_phone_add_ua (self);
  return TRUE;
}

gboolean
rl_phone_unregister (RlPhone *self, GError **error)
{
  g_return_val_if_fail (RL_IS_PHONE (self), FALSE);

  self->wanted = FALSE;
  _rl_phone_remove_ua (self);
  _rl_phone_set_registration (self, RL_REGISTRATION_UNREGISTERED, "");
  return TRUE;
}

/**
 * rl_phone_refresh_registration:
 *
 * The network changed or the machine woke up: the registrar may have
 * forgotten this phone, or reach it at another address. Registers again at
 * once, from the first server, when the account is meant to be registered.
 */
void
rl_phone_refresh_registration (RlPhone *self)
{
  g_return_if_fail (RL_IS_PHONE (self));

  if (!self->wanted || self->account == NULL)
    return;
  self->server = 0;
  _rl_phone_add_ua (self);
}
