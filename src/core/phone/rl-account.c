/* rl-account.c
 *
 * The password lives only in memory here; RlSecretStore persists it in the
 * keyring and the engine hands it to baresip over the control socket.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "RlAccount"

#include "rl-account.h"
#include "rl-error.h"
#include "rl-phone-number.h"
#include "rl-target.h"

#include <string.h>

struct _RlAccount
{
  GObject parent_instance;

  GStrv servers;
  char *username;
  char *auth_username;
  char *password;
  char *realm;
  char *display_name;
  char *caller_id;
  char *transport;
  gboolean do_register;
  gboolean remember_password;
  /* Media behind NAT */
  char *stun_server;
  char *turn_server;
  char *turn_username;
  char *turn_password; /* memory only, like password */
  gboolean ice;
  char *tls_ca_file;      /* a private PBX's authorities; "" for the system's */
  char *media_encryption; /* none, srtp, srtp-mandatory, dtls-srtp */
  char *identity_header;  /* "", or the header the PBX takes a caller ID from */
  char *country_code;     /* "", or the account's country: "HK", "852" */
  guint keepalive;        /* seconds between keep-alives over UDP; 0: none */
};

G_DEFINE_FINAL_TYPE (RlAccount, rl_account, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_SERVERS,
  PROP_USERNAME,
  PROP_AUTH_USERNAME,
  PROP_REALM,
  PROP_DISPLAY_NAME,
  PROP_CALLER_ID,
  PROP_TRANSPORT,
  PROP_REGISTER,
  PROP_REMEMBER_PASSWORD,
  PROP_STUN_SERVER,
  PROP_TURN_SERVER,
  PROP_TURN_USERNAME,
  PROP_ICE,
  PROP_TLS_CA_FILE,
  PROP_MEDIA_ENCRYPTION,
  PROP_IDENTITY_HEADER,
  PROP_COUNTRY_CODE,
  PROP_KEEPALIVE_INTERVAL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The a{sv} keys SetAccount takes, with their D-Bus types. */
static const struct
{
  const char *key;
  const char *type;
} account_keys[] = {
  { "servers", "as" },
  { "username", "s" },
  { "password", "s" },
  { "auth_username", "s" },
  { "realm", "s" },
  { "display_name", "s" },
  { "caller_id", "s" },
  { "transport", "s" },
  { "register", "b" },
  { "remember_password", "b" },
  { "stun_server", "s" },
  { "turn_server", "s" },
  { "turn_username", "s" },
  { "turn_password", "s" },
  { "ice", "b" },
  { "tls_ca_file", "s" },
  { "media_encryption", "s" },
  { "identity_header", "s" },
  { "country_code", "s" },
  { "keepalive_interval", "u" },
};

static void
rl_account_finalize (GObject *object)
{
  RlAccount *self = RL_ACCOUNT (object);

  g_strfreev (self->servers);
  g_free (self->username);
  g_free (self->auth_username);
  if (self->password)
    memset (self->password, 0, strlen (self->password));
  g_free (self->password);
  g_free (self->realm);
  g_free (self->display_name);
  g_free (self->caller_id);
  g_free (self->transport);
  g_free (self->stun_server);
  g_free (self->turn_server);
  g_free (self->turn_username);
  if (self->turn_password)
    memset (self->turn_password, 0, strlen (self->turn_password));
  g_free (self->turn_password);
  g_free (self->tls_ca_file);
  g_free (self->media_encryption);
  g_free (self->identity_header);
  g_free (self->country_code);
  G_OBJECT_CLASS (rl_account_parent_class)->finalize (object);
}

static void
rl_account_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  RlAccount *self = RL_ACCOUNT (object);

  switch (prop_id)
    {
    case PROP_SERVERS:
      g_value_set_boxed (value, self->servers);
      break;
    case PROP_USERNAME:
      g_value_set_string (value, self->username);
      break;
    case PROP_AUTH_USERNAME:
      g_value_set_string (value, self->auth_username);
      break;
    case PROP_REALM:
      g_value_set_string (value, self->realm);
      break;
    case PROP_DISPLAY_NAME:
      g_value_set_string (value, self->display_name);
      break;
    case PROP_CALLER_ID:
      g_value_set_string (value, self->caller_id);
      break;
    case PROP_TRANSPORT:
      g_value_set_string (value, self->transport);
      break;
    case PROP_REGISTER:
      g_value_set_boolean (value, self->do_register);
      break;
    case PROP_REMEMBER_PASSWORD:
      g_value_set_boolean (value, self->remember_password);
      break;
    case PROP_STUN_SERVER:
      g_value_set_string (value, self->stun_server);
      break;
    case PROP_TURN_SERVER:
      g_value_set_string (value, self->turn_server);
      break;
    case PROP_TURN_USERNAME:
      g_value_set_string (value, self->turn_username);
      break;
    case PROP_ICE:
      g_value_set_boolean (value, self->ice);
      break;
    case PROP_TLS_CA_FILE:
      g_value_set_string (value, self->tls_ca_file);
      break;
    case PROP_MEDIA_ENCRYPTION:
      g_value_set_string (value, self->media_encryption);
      break;
    case PROP_IDENTITY_HEADER:
      g_value_set_string (value, self->identity_header);
      break;
    case PROP_COUNTRY_CODE:
      g_value_set_string (value, self->country_code);
      break;
    case PROP_KEEPALIVE_INTERVAL:
      g_value_set_uint (value, self->keepalive);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rl_account_class_init (RlAccountClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->finalize = rl_account_finalize;
  object_class->get_property = rl_account_get_property;

  properties[PROP_SERVERS]
    = g_param_spec_boxed ("servers", NULL, "Servers in failover order", G_TYPE_STRV, flags);
  properties[PROP_USERNAME] = g_param_spec_string ("username", NULL, NULL, "", flags);
  properties[PROP_AUTH_USERNAME] = g_param_spec_string ("auth-username", NULL, NULL, "", flags);
  properties[PROP_REALM] = g_param_spec_string ("realm", NULL, NULL, "", flags);
  properties[PROP_DISPLAY_NAME] = g_param_spec_string ("display-name", NULL, NULL, "", flags);
  properties[PROP_CALLER_ID] = g_param_spec_string ("caller-id", NULL, NULL, "", flags);
  properties[PROP_TRANSPORT] = g_param_spec_string ("transport", NULL, NULL, "udp", flags);
  properties[PROP_REGISTER] = g_param_spec_boolean ("register", NULL, NULL, TRUE, flags);
  properties[PROP_REMEMBER_PASSWORD]
    = g_param_spec_boolean ("remember-password", NULL, NULL, TRUE, flags);
  /**
   * RlAccount:stun-server:
   *
   * host[:port] of a STUN server: the call's media is offered at the
   * address it sees (an agent at home, behind NAT). Likewise "turn-server"
   * relays the media, "ice" tries every path (RFC 8445).
   */
  properties[PROP_STUN_SERVER] = g_param_spec_string ("stun-server", NULL, NULL, "", flags);
  properties[PROP_TURN_SERVER] = g_param_spec_string ("turn-server", NULL, NULL, "", flags);
  properties[PROP_TURN_USERNAME] = g_param_spec_string ("turn-username", NULL, NULL, "", flags);
  properties[PROP_ICE] = g_param_spec_boolean ("ice", NULL, NULL, FALSE, flags);
  /**
   * RlAccount:tls-ca-file:
   *
   * With transport "tls", the PEM file of the authorities the registrar's
   * certificate must come from (a private PBX); "" trusts the system's.
   */
  properties[PROP_TLS_CA_FILE] = g_param_spec_string ("tls-ca-file", NULL, NULL, "", flags);
  /**
   * RlAccount:media-encryption:
   *
   * "none", "srtp" (offered, plain RTP if the other side has none),
   * "srtp-mandatory" (a call without it fails) or "dtls-srtp".
   */
  properties[PROP_MEDIA_ENCRYPTION]
    = g_param_spec_string ("media-encryption", NULL, NULL, "none", flags);
  /**
   * RlAccount:identity-header:
   *
   * The header the PBX takes a caller ID from, when it lets the phone
   * choose one ("p-preferred-identity" (RFC 3325), "p-asserted-identity"
   * for a trusted peer, "remote-party-id" for older PBXs), or "" when it
   * does not: then a per-call caller ID cannot be sent.
   */
  properties[PROP_IDENTITY_HEADER] = g_param_spec_string ("identity-header", NULL, NULL, "", flags);
  /**
   * RlAccount:country-code:
   *
   * The account's country, as a region ("HK") or a calling code ("852",
   * "+852"): the region of numbers written without a country code when the
   * locale's telephone convention names none. "" for none.
   */
  properties[PROP_COUNTRY_CODE] = g_param_spec_string ("country-code", NULL, NULL, "", flags);
  /**
   * RlAccount:keepalive-interval:
   *
   * Seconds between the keep-alives a registered UDP account sends its
   * server (an OPTIONS request), so that a NAT between them keeps the path
   * for calls coming in open; 0 sends none.
   */
  properties[PROP_KEEPALIVE_INTERVAL]
    = g_param_spec_uint ("keepalive-interval", NULL, NULL, 0, RL_ACCOUNT_MAX_KEEPALIVE,
                         RL_ACCOUNT_DEFAULT_KEEPALIVE, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
rl_account_init (RlAccount *self)
{
  self->servers = g_new0 (char *, 1);
  self->username = g_strdup ("");
  self->auth_username = g_strdup ("");
  self->password = g_strdup ("");
  self->stun_server = g_strdup ("");
  self->turn_server = g_strdup ("");
  self->turn_username = g_strdup ("");
  self->turn_password = g_strdup ("");
  self->tls_ca_file = g_strdup ("");
  self->media_encryption = g_strdup ("none");
  self->identity_header = g_strdup ("");
  self->country_code = g_strdup ("");
  self->keepalive = RL_ACCOUNT_DEFAULT_KEEPALIVE;
  self->realm = g_strdup ("");
  self->display_name = g_strdup ("");
  self->caller_id = g_strdup ("");
  self->transport = g_strdup ("udp");
  self->do_register = TRUE;
  self->remember_password = TRUE;
}

static gboolean
bad_key (GError **error, const char *key, const char *why)
{
  g_set_error (error, RL_ERROR, RL_ERROR_INVALID_ARGUMENT, "%s: %s", key, why);
  return FALSE;
}

static gboolean
check_key_types (GVariant *settings, GError **error)
{
  GVariantIter iter;
  const char *key;
  GVariant *value;

  g_variant_iter_init (&iter, settings);
  while (g_variant_iter_loop (&iter, "{&sv}", &key, &value))
    {
      guint i;

      for (i = 0; i < G_N_ELEMENTS (account_keys); i++)
        if (g_str_equal (key, account_keys[i].key))
          break;
      if (i == G_N_ELEMENTS (account_keys))
        {
          g_variant_unref (value);
          return bad_key (error, key, "unknown key");
        }
      if (!g_variant_is_of_type (value, G_VARIANT_TYPE (account_keys[i].type)))
        {
          g_autofree char *why
            = g_strdup_printf ("expected type '%s', got '%s'", account_keys[i].type,
                               g_variant_get_type_string (value));
          g_variant_unref (value);
          return bad_key (error, key, why);
        }
    }
  return TRUE;
}

static gboolean
valid_server (const char *server)
{
  g_autofree char *host = rl_target_uri_host (server);

  if (*host == '\0' || strlen (server) > RL_TARGET_MAX_LENGTH)
    return FALSE;
  for (const char *p = server; *p; p++)
    if ((guchar) *p <= ' ' || *p == '<' || *p == '>' || *p == '"')
      return FALSE;
  for (const char *p = host; *p; p++)
    if (!g_ascii_isalnum (*p) && !strchr (".-[]:", *p))
      return FALSE;
  return TRUE;
}

static gboolean
valid_user (const char *user)
{
  if (*user == '\0' || strlen (user) > 128)
    return FALSE;
  for (const char *p = user; *p; p++)
    if (!g_ascii_isalnum (*p) && !strchr ("-_.!~*'()&=+$,/%#", *p))
      return FALSE;
  return TRUE;
}

/* A NAT helper is a host[:port], nothing else: it goes into a URI baresip
 * builds ("turn:host:port"). */
static gboolean
valid_nat_server (const char *server)
{
  const char *colon = strrchr (server, ':');
  g_autofree char *host = g_strndup (server, colon ? (gsize) (colon - server) : strlen (server));

  if (*host == '\0' || strlen (server) > 255)
    return FALSE;
  if (colon
      && (colon[1] == '\0' || strspn (colon + 1, "0123456789") != strlen (colon + 1)
          || g_ascii_strtoull (colon + 1, NULL, 10) > 65535))
    return FALSE;
  for (const char *p = host; *p; p++)
    if (!g_ascii_isalnum (*p) && *p != '.' && *p != '-')
      return FALSE;
  return TRUE;
}

static const char *const identity_headers[]
  = { "", "p-preferred-identity", "p-asserted-identity", "remote-party-id", NULL };

static gboolean
validate (RlAccount *self, GError **error)
{
  g_autofree char *region = NULL;

  if (self->servers[0] == NULL)
    return bad_key (error, "servers", "at least one server is required");
  for (guint i = 0; self->servers[i]; i++)
    if (!valid_server (self->servers[i]))
      return bad_key (error, "servers", "not a host[:port] or sip: URI");
  if (!valid_user (self->username))
    return bad_key (error, "username", "empty or not a valid SIP user name");
  if (*self->auth_username && !valid_user (self->auth_username))
    return bad_key (error, "auth_username", "not a valid SIP user name");
  if (strpbrk (self->password, "\r\n;<>\"") != NULL)
    return bad_key (error, "password", "contains characters SIP credentials cannot carry");
  if (*self->realm && !valid_server (self->realm))
    return bad_key (error, "realm", "not a valid domain");
  if (!g_strv_contains ((const char *const[]){ "udp", "tcp", "tls", NULL }, self->transport))
    return bad_key (error, "transport", "must be udp, tcp or tls");
  if (strpbrk (self->display_name, "\"\r\n<>") != NULL)
    return bad_key (error, "display_name", "contains quotes, brackets or line breaks");
  if (*self->caller_id && !valid_user (self->caller_id))
    return bad_key (error, "caller_id", "not a valid number or user name");
  if (*self->stun_server && !valid_nat_server (self->stun_server))
    return bad_key (error, "stun_server", "not a host[:port]");
  if (*self->turn_server && !valid_nat_server (self->turn_server))
    return bad_key (error, "turn_server", "not a host[:port]");
  if (*self->turn_username && !valid_user (self->turn_username))
    return bad_key (error, "turn_username", "not a valid user name");
  if (strpbrk (self->turn_password, "\r\n;<>\" ") != NULL)
    return bad_key (error, "turn_password", "contains characters the engine cannot carry");
  if (*self->tls_ca_file
      && (!g_path_is_absolute (self->tls_ca_file) || strpbrk (self->tls_ca_file, "\r\n") != NULL))
    return bad_key (error, "tls_ca_file", "not an absolute path");
  if (!g_strv_contains (identity_headers, self->identity_header))
    return bad_key (error, "identity_header",
                    "must be empty, p-preferred-identity, p-asserted-identity or remote-party-id");
  if (*self->country_code
      && (region = rl_phone_number_region_for_country (self->country_code)) == NULL)
    return bad_key (error, "country_code", "not a country calling code or an ISO 3166 region");
  if (self->keepalive > RL_ACCOUNT_MAX_KEEPALIVE)
    return bad_key (error, "keepalive_interval", "more than an hour");
  if (*self->turn_server && (!*self->turn_username || !*self->turn_password))
    return bad_key (error, "turn_server", "needs turn_username and turn_password");
  return TRUE;
}

static void
take_string (char **field, GVariant *settings, const char *key)
{
  const char *value;

  if (g_variant_lookup (settings, key, "&s", &value))
    {
      g_free (*field);
      *field = g_strstrip (g_strdup (value));
    }
}

/**
 * rl_account_new_from_variant:
 * @settings: an a{sv} as SetAccount takes it
 *
 * Returns: (transfer full) (nullable): the account, or %NULL with an
 * InvalidArgument error naming the offending key.
 */
RlAccount *
rl_account_new_from_variant (GVariant *settings, GError **error)
{
  g_autoptr (RlAccount) self = NULL;
  g_autofree const char **servers = NULL;
  const char *password;

  g_return_val_if_fail (g_variant_is_of_type (settings, G_VARIANT_TYPE_VARDICT), NULL);
  if (!check_key_types (settings, error))
    return NULL;

  self = g_object_new (RL_TYPE_ACCOUNT, NULL);
  if (g_variant_lookup (settings, "servers", "^a&s", &servers))
    {
      g_strfreev (self->servers);
      self->servers = g_strdupv ((char **) servers);
    }
  take_string (&self->username, settings, "username");
  take_string (&self->auth_username, settings, "auth_username");
  take_string (&self->realm, settings, "realm");
  take_string (&self->display_name, settings, "display_name");
  take_string (&self->caller_id, settings, "caller_id");
  take_string (&self->transport, settings, "transport");
  take_string (&self->stun_server, settings, "stun_server");
  take_string (&self->turn_server, settings, "turn_server");
  take_string (&self->turn_username, settings, "turn_username");
  take_string (&self->tls_ca_file, settings, "tls_ca_file");
  take_string (&self->media_encryption, settings, "media_encryption");
  take_string (&self->identity_header, settings, "identity_header");
  take_string (&self->country_code, settings, "country_code");
  if (g_variant_lookup (settings, "password", "&s", &password))
    rl_account_set_password (self, password);
  if (g_variant_lookup (settings, "turn_password", "&s", &password))
    rl_account_set_turn_password (self, password);
  g_variant_lookup (settings, "ice", "b", &self->ice);
  g_variant_lookup (settings, "keepalive_interval", "u", &self->keepalive);
  g_variant_lookup (settings, "register", "b", &self->do_register);
  g_variant_lookup (settings, "remember_password", "b", &self->remember_password);

  if (!validate (self, error))
    return NULL;
  return g_steal_pointer (&self);
}

RlAccount *
rl_account_new_from_settings (GSettings *settings)
{
  RlAccount *self = g_object_new (RL_TYPE_ACCOUNT, NULL);

  g_strfreev (self->servers);
  self->servers = g_settings_get_strv (settings, "account-servers");
#define LOAD(field, key)                                                                           \
  g_free (self->field);                                                                            \
  self->field = g_settings_get_string (settings, key)
  LOAD (username, "account-username");
  LOAD (auth_username, "account-auth-username");
  LOAD (realm, "account-realm");
  LOAD (display_name, "account-display-name");
  LOAD (caller_id, "account-caller-id");
  LOAD (transport, "account-transport");
  LOAD (stun_server, "account-stun-server");
  LOAD (turn_server, "account-turn-server");
  LOAD (turn_username, "account-turn-username");
  LOAD (tls_ca_file, "account-tls-ca-file");
  LOAD (media_encryption, "account-media-encryption");
  LOAD (identity_header, "account-identity-header");
  LOAD (country_code, "account-country-code");
#undef LOAD
  self->ice = g_settings_get_boolean (settings, "account-ice");
  self->keepalive = g_settings_get_uint (settings, "account-keepalive-interval");
  self->do_register = g_settings_get_boolean (settings, "account-register");
  self->remember_password = g_settings_get_boolean (settings, "account-remember-password");
  return self;
}

void
rl_account_save_settings (RlAccount *self, GSettings *settings)
{
  g_return_if_fail (RL_IS_ACCOUNT (self));

  g_settings_delay (settings);
  g_settings_set_strv (settings, "account-servers", (const char *const *) self->servers);
  g_settings_set_string (settings, "account-username", self->username);
  g_settings_set_string (settings, "account-auth-username", self->auth_username);
  g_settings_set_string (settings, "account-realm", self->realm);
  g_settings_set_string (settings, "account-display-name", self->display_name);
  g_settings_set_string (settings, "account-caller-id", self->caller_id);
  g_settings_set_string (settings, "account-transport", self->transport);
  g_settings_set_boolean (settings, "account-register", self->do_register);
  g_settings_set_boolean (settings, "account-remember-password", self->remember_password);
  g_settings_set_string (settings, "account-stun-server", self->stun_server);
  g_settings_set_string (settings, "account-turn-server", self->turn_server);
  g_settings_set_string (settings, "account-turn-username", self->turn_username);
  g_settings_set_boolean (settings, "account-ice", self->ice);
  g_settings_set_string (settings, "account-tls-ca-file", self->tls_ca_file);
  g_settings_set_string (settings, "account-media-encryption", self->media_encryption);
  g_settings_set_string (settings, "account-identity-header", self->identity_header);
  g_settings_set_string (settings, "account-country-code", self->country_code);
  g_settings_set_uint (settings, "account-keepalive-interval", self->keepalive);
  g_settings_apply (settings);
}

const char *const *
rl_account_get_servers (RlAccount *self)
{
  return (const char *const *) self->servers;
}

const char *
rl_account_get_username (RlAccount *self)
{
  g_return_val_if_fail (RL_IS_ACCOUNT (self), NULL);

  return self->username;
}

const char *
rl_account_get_auth_username (RlAccount *self)
{
  g_return_val_if_fail (RL_IS_ACCOUNT (self), NULL);

  return *self->auth_username ? self->auth_username : self->username;
}

const char *
rl_account_get_password (RlAccount *self)
{
  g_return_val_if_fail (RL_IS_ACCOUNT (self), NULL);

  return self->password;
}

void
rl_account_set_password (RlAccount *self, const char *password)
{
  g_return_if_fail (RL_IS_ACCOUNT (self));
  if (self->password)
    memset (self->password, 0, strlen (self->password));
  g_free (self->password);
  self->password = g_strdup (password ? password : "");
}

/* The TURN server's password: never in settings or files, only the keyring. */
const char *
rl_account_get_turn_password (RlAccount *self)
{
  g_return_val_if_fail (RL_IS_ACCOUNT (self), NULL);

  return self->turn_password;
}

void
rl_account_set_turn_password (RlAccount *self, const char *password)
{
  g_return_if_fail (RL_IS_ACCOUNT (self));
  if (self->turn_password)
    memset (self->turn_password, 0, strlen (self->turn_password));
  g_free (self->turn_password);
  self->turn_password = g_strdup (password ? password : "");
}

const char *
rl_account_get_stun_server (RlAccount *self)
{
  g_return_val_if_fail (RL_IS_ACCOUNT (self), NULL);

  return self->stun_server;
}

const char *
rl_account_get_turn_server (RlAccount *self)
{
  g_return_val_if_fail (RL_IS_ACCOUNT (self), NULL);

  return self->turn_server;
}

const char *
rl_account_get_turn_username (RlAccount *self)
{
  g_return_val_if_fail (RL_IS_ACCOUNT (self), NULL);

  return self->turn_username;
}

/* Returns: (nullable): baresip's "mediaenc" for the account, NULL for none */
const char *
rl_account_get_media_enc (RlAccount *self)
{
  g_return_val_if_fail (RL_IS_ACCOUNT (self), NULL);

  if (g_str_equal (self->media_encryption, "srtp"))
    return "srtp";
  if (g_str_equal (self->media_encryption, "srtp-mandatory"))
    return "srtp-mand";
  return g_str_equal (self->media_encryption, "dtls-srtp") ? "dtls_srtp" : NULL;
}

/* Returns: "", p-preferred-identity, p-asserted-identity or remote-party-id */
const char *
rl_account_get_identity_header (RlAccount *self)
{
  g_return_val_if_fail (RL_IS_ACCOUNT (self), NULL);

  return self->identity_header;
}

/* Returns: (transfer full) (nullable): the region of the account's
 * country ("HK" for "852"), or NULL when it has none */
char *
rl_account_dup_region (RlAccount *self)
{
  g_return_val_if_fail (RL_IS_ACCOUNT (self), NULL);

  return *self->country_code ? rl_phone_number_region_for_country (self->country_code) : NULL;
}

/* Returns: seconds between keep-alives over UDP, 0 for none */
guint
rl_account_get_keepalive_interval (RlAccount *self)
{
  g_return_val_if_fail (RL_IS_ACCOUNT (self), 0);

  return self->keepalive;
}

/* Returns: none, srtp, srtp-mandatory or dtls-srtp, as set */
const char *
rl_account_get_media_encryption (RlAccount *self)
{
  g_return_val_if_fail (RL_IS_ACCOUNT (self), NULL);

  return self->media_encryption;
}

const char *
rl_account_get_tls_ca_file (RlAccount *self)
{
  g_return_val_if_fail (RL_IS_ACCOUNT (self), NULL);

  return self->tls_ca_file;
}

gboolean
rl_account_get_ice (RlAccount *self)
{
  g_return_val_if_fail (RL_IS_ACCOUNT (self), FALSE);

  return self->ice;
}

/**
 * rl_account_get_media_nat:
 *
 * Returns: (nullable): how the call's media crosses NAT, as baresip's
 * "medianat" names it: "ice" (with the TURN or STUN server for candidates),
 * "turn", "stun", or %NULL for none
 */
const char *
rl_account_get_media_nat (RlAccount *self)
{
  g_return_val_if_fail (RL_IS_ACCOUNT (self), NULL);

  if (self->ice)
    return "ice";
  if (*self->turn_server)
    return "turn";
  return *self->stun_server ? "stun" : NULL;
}

const char *
rl_account_get_realm (RlAccount *self)
{
  g_return_val_if_fail (RL_IS_ACCOUNT (self), NULL);

  return self->realm;
}

const char *
rl_account_get_display_name (RlAccount *self)
{
  g_return_val_if_fail (RL_IS_ACCOUNT (self), NULL);

  return self->display_name;
}

const char *
rl_account_get_caller_id (RlAccount *self)
{
  g_return_val_if_fail (RL_IS_ACCOUNT (self), NULL);

  return self->caller_id;
}

const char *
rl_account_get_transport (RlAccount *self)
{
  g_return_val_if_fail (RL_IS_ACCOUNT (self), NULL);

  return self->transport;
}

gboolean
rl_account_get_register (RlAccount *self)
{
  g_return_val_if_fail (RL_IS_ACCOUNT (self), FALSE);

  return self->do_register;
}

gboolean
rl_account_get_remember_password (RlAccount *self)
{
  g_return_val_if_fail (RL_IS_ACCOUNT (self), FALSE);

  return self->remember_password;
}

/* The SIP domain of the address of record: the realm when one is set,
 * otherwise the first server. */
char *
rl_account_dup_domain (RlAccount *self)
{
  g_return_val_if_fail (RL_IS_ACCOUNT (self), NULL);

  if (*self->realm)
    return g_strdup (self->realm);
  if (self->servers[0] == NULL)
    return g_strdup ("");
  return rl_target_uri_host (self->servers[0]);
}

char *
rl_account_dup_aor (RlAccount *self)
{
  g_return_val_if_fail (RL_IS_ACCOUNT (self), NULL);

  g_autofree char *domain = rl_account_dup_domain (self);

  return g_strdup_printf ("sip:%s@%s", self->username, domain);
}

gboolean
rl_account_is_complete (RlAccount *self)
{
  g_return_val_if_fail (RL_IS_ACCOUNT (self), FALSE);

  return self->servers[0] != NULL && *self->username != '\0';
}

/* All servers on this machine: baresip then listens on loopback only. */
gboolean
rl_account_is_loopback (RlAccount *self)
{
  g_return_val_if_fail (RL_IS_ACCOUNT (self), FALSE);

  if (self->servers[0] == NULL)
    return FALSE;
  for (guint i = 0; self->servers[i]; i++)
    {
      g_autofree char *host = rl_target_uri_host (self->servers[i]);

      if (!g_str_has_prefix (host, "127.") && !g_str_equal (host, "localhost")
          && !g_str_has_prefix (host, "localhost:") && !g_str_has_prefix (host, "[::1]"))
        return FALSE;
    }
  return TRUE;
}

gboolean
rl_account_same_identity (RlAccount *self, RlAccount *other)
{
  g_return_val_if_fail (RL_IS_ACCOUNT (self), FALSE);

  return other != NULL && g_str_equal (self->username, other->username)
         && g_str_equal (self->auth_username, other->auth_username)
         && g_strv_equal ((const char *const *) self->servers, (const char *const *) other->servers)
         && g_str_equal (self->realm, other->realm);
}

/* Returns: whether @other would add the very same user agent, password and all */
gboolean
rl_account_equal (RlAccount *self, RlAccount *other)
{
  g_autoptr (GVariant) a = NULL;
  g_autoptr (GVariant) b = NULL;

  g_return_val_if_fail (RL_IS_ACCOUNT (self), FALSE);

  if (other == NULL || !g_str_equal (self->password, other->password)
      || !g_str_equal (self->turn_password, other->turn_password))
    return FALSE;
  a = g_variant_ref_sink (rl_account_to_variant (self));
  b = g_variant_ref_sink (rl_account_to_variant (other));
  return g_variant_equal (a, b);
}

/* The account as SetAccount takes it, without the password. */
GVariant *
rl_account_to_variant (RlAccount *self)
{
  GVariantBuilder b;

  g_return_val_if_fail (RL_IS_ACCOUNT (self), NULL);

  g_variant_builder_init (&b, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&b, "{sv}", "servers",
                         g_variant_new_strv ((const char *const *) self->servers, -1));
  g_variant_builder_add (&b, "{sv}", "username", g_variant_new_string (self->username));
  g_variant_builder_add (&b, "{sv}", "auth_username", g_variant_new_string (self->auth_username));
  g_variant_builder_add (&b, "{sv}", "realm", g_variant_new_string (self->realm));
  g_variant_builder_add (&b, "{sv}", "display_name", g_variant_new_string (self->display_name));
  g_variant_builder_add (&b, "{sv}", "caller_id", g_variant_new_string (self->caller_id));
  g_variant_builder_add (&b, "{sv}", "transport", g_variant_new_string (self->transport));
  g_variant_builder_add (&b, "{sv}", "register", g_variant_new_boolean (self->do_register));
  g_variant_builder_add (&b, "{sv}", "remember_password",
                         g_variant_new_boolean (self->remember_password));
  g_variant_builder_add (&b, "{sv}", "stun_server", g_variant_new_string (self->stun_server));
  g_variant_builder_add (&b, "{sv}", "turn_server", g_variant_new_string (self->turn_server));
  g_variant_builder_add (&b, "{sv}", "turn_username", g_variant_new_string (self->turn_username));
  g_variant_builder_add (&b, "{sv}", "ice", g_variant_new_boolean (self->ice));
  g_variant_builder_add (&b, "{sv}", "tls_ca_file", g_variant_new_string (self->tls_ca_file));
  g_variant_builder_add (&b, "{sv}", "media_encryption",
                         g_variant_new_string (self->media_encryption));
  g_variant_builder_add (&b, "{sv}", "identity_header",
                         g_variant_new_string (self->identity_header));
  g_variant_builder_add (&b, "{sv}", "country_code", g_variant_new_string (self->country_code));
  g_variant_builder_add (&b, "{sv}", "keepalive_interval", g_variant_new_uint32 (self->keepalive));
  return g_variant_builder_end (&b);
}
