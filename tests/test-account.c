/* test-account.c: SetAccount's settings, validated key by key.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "rl-account.h"
#include "rl-error.h"
#include "rl-phone-number.h"

#include <string.h>

static GVariant *
parse (const char *text)
{
  g_autoptr (GError) error = NULL;
  GVariant *v = g_variant_parse (G_VARIANT_TYPE_VARDICT, text, NULL, NULL, &error);

  g_assert_no_error (error);
  return v;
}

static void
test_full (void)
{
  g_autoptr (GVariant) v = parse ("{'servers': <['pbx1.example.org:5080', 'pbx2.example.org']>,"
                                  " 'username': <'1001'>, 'password': <'s3cret'>,"
                                  " 'auth_username': <'a1001'>, 'realm': <'example.org'>,"
                                  " 'display_name': <'Ana Agent'>, 'caller_id': <'+34911'>,"
                                  " 'transport': <'tcp'>, 'register': <false>,"
                                  " 'remember_password': <false>}");
  g_autoptr (GError) error = NULL;
  g_autoptr (RlAccount) a = rl_account_new_from_variant (v, &error);
  g_autofree char *aor = NULL;

  g_assert_no_error (error);
  aor = rl_account_dup_aor (a);
  g_assert_cmpstr (aor, ==, "sip:1001@example.org");
  g_assert_cmpstr (rl_account_get_servers (a)[1], ==, "pbx2.example.org");
  g_assert_cmpstr (rl_account_get_auth_username (a), ==, "a1001");
  g_assert_cmpstr (rl_account_get_password (a), ==, "s3cret");
  g_assert_cmpstr (rl_account_get_transport (a), ==, "tcp");
  g_assert_false (rl_account_get_register (a));
  g_assert_false (rl_account_get_remember_password (a));
  g_assert_false (rl_account_is_loopback (a));
}

static void
test_defaults (void)
{
  g_autoptr (GVariant) v = parse ("{'servers': <['127.0.0.1:5060']>, 'username': <'1001'>}");
  g_autoptr (RlAccount) a = rl_account_new_from_variant (v, NULL);
  g_autofree char *aor = rl_account_dup_aor (a);
  g_autoptr (GVariant) back = g_variant_ref_sink (rl_account_to_variant (a));

  g_assert_cmpstr (aor, ==, "sip:1001@127.0.0.1:5060");
  g_assert_cmpstr (rl_account_get_auth_username (a), ==, "1001");
  g_assert_cmpstr (rl_account_get_transport (a), ==, "udp");
  g_assert_true (rl_account_get_register (a));
  g_assert_true (rl_account_get_remember_password (a));
  g_assert_true (rl_account_is_loopback (a));
  g_assert_cmpuint (rl_account_get_keepalive_interval (a), ==, RL_ACCOUNT_DEFAULT_KEEPALIVE);
  /* What the account reports never holds the password. */
  g_assert_false (g_variant_lookup (back, "password", "&s", NULL));
}

/* The media's NAT helpers: how baresip will be told, and the TURN password
 * kept out of what the account reports. */
static void
test_media_nat (void)
{
  g_autoptr (GVariant) none = parse ("{'servers': <['h']>, 'username': <'u'>}");
  g_autoptr (GVariant) stun
    = parse ("{'servers': <['h']>, 'username': <'u'>, 'stun_server': <'stun.example.org:3478'>}");
  g_autoptr (GVariant) turn = parse ("{'servers': <['h']>, 'username': <'u'>,"
                                     " 'stun_server': <'stun.example.org'>,"
                                     " 'turn_server': <'turn.example.org:3478'>,"
                                     " 'turn_username': <'agent'>, 'turn_password': <'pw'>}");
  g_autoptr (GVariant) ice = parse ("{'servers': <['h']>, 'username': <'u'>, 'ice': <true>}");
  g_autoptr (RlAccount) a_none = rl_account_new_from_variant (none, NULL);
  g_autoptr (RlAccount) a_stun = rl_account_new_from_variant (stun, NULL);
  g_autoptr (RlAccount) a_turn = rl_account_new_from_variant (turn, NULL);
  g_autoptr (RlAccount) a_ice = rl_account_new_from_variant (ice, NULL);
  g_autoptr (GVariant) back = g_variant_ref_sink (rl_account_to_variant (a_turn));
  const char *server = NULL;

  g_assert_null (rl_account_get_media_nat (a_none));
  g_assert_cmpstr (rl_account_get_media_nat (a_stun), ==, "stun");
  g_assert_cmpstr (rl_account_get_media_nat (a_turn), ==, "turn");
  g_assert_cmpstr (rl_account_get_media_nat (a_ice), ==, "ice");
  g_assert_cmpstr (rl_account_get_turn_password (a_turn), ==, "pw");
  g_assert_true (g_variant_lookup (back, "turn_server", "&s", &server));
  g_assert_cmpstr (server, ==, "turn.example.org:3478");
  g_assert_false (g_variant_lookup (back, "turn_password", "&s", NULL));
  g_assert_false (rl_account_equal (a_turn, a_stun));
}

/* A country as call platforms give it, a calling code or a region, names
 * the region of numbers written without their country code, after the
 * locale's telephone convention and before the language's region. */
static void
test_country_code (void)
{
  static const struct
  {
    const char *given, *region;
  } cases[] = { { "852", "HK" }, { "+852", "HK" }, { "hk", "HK" }, { "1", "US" }, { "34", "ES" } };
  g_autoptr (GVariant) none = parse ("{'servers': <['h']>, 'username': <'u'>}");
  g_autoptr (RlAccount) without = rl_account_new_from_variant (none, NULL);
  g_autofree char *no_region = rl_account_dup_region (without);
  g_autofree char *from_locale = NULL;
  g_autofree char *from_account = NULL;

  g_assert_null (no_region);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = g_strdup_printf ("{'servers': <['h']>, 'username': <'u'>,"
                                               " 'country_code': <'%s'>}",
                                               cases[i].given);
      g_autoptr (GVariant) v = parse (text);
      g_autoptr (GError) error = NULL;
      g_autoptr (RlAccount) a = rl_account_new_from_variant (v, &error);
      g_autoptr (GVariant) back = NULL;
      g_autofree char *region = NULL;
      const char *kept = NULL;

      g_assert_no_error (error);
      region = rl_account_dup_region (a);
      g_assert_cmpstr (region, ==, cases[i].region);
      back = g_variant_ref_sink (rl_account_to_variant (a));
      g_assert_true (g_variant_lookup (back, "country_code", "&s", &kept));
      g_assert_cmpstr (kept, ==, cases[i].given);
    }
  /* The tests' locale (C) has no telephone region: the account's country
   * comes before the language's. */
  g_setenv ("LANGUAGE", "es_MX", TRUE);
  from_account = rl_phone_number_default_region ("HK");
  from_locale = rl_phone_number_default_region (NULL);
  g_unsetenv ("LANGUAGE");
  g_assert_cmpstr (from_account, ==, "HK");
  g_assert_cmpstr (from_locale, ==, "MX");
}

static void
test_errors_name_the_key (void)
{
  const struct
  {
    const char *settings, *key;
  } cases[] = {
    { "{'servers': <['h']>, 'username': <'u'>, 'colour': <'red'>}", "colour" },
    { "{'servers': <'h'>, 'username': <'u'>}", "servers" },
    { "{'servers': <['h']>, 'username': <42>}", "username" },
    { "{'servers': <['h']>, 'username': <'u'>, 'register': <'yes'>}", "register" },
    { "{'servers': <['h']>, 'username': <'u'>, 'transport': <'sctp'>}", "transport" },
    { "{'username': <'u'>}", "servers" },
    { "{'servers': <['h']>}", "username" },
    { "{'servers': <['h o']>, 'username': <'u'>}", "servers" },
    { "{'servers': <['h']>, 'username': <'u v'>}", "username" },
    { "{'servers': <['h']>, 'username': <'u'>, 'password': <'a;b'>}", "password" },
    { "{'servers': <['h']>, 'username': <'u'>, 'display_name': <'\"x'>}", "display_name" },
    { "{'servers': <['h']>, 'username': <'u'>, 'stun_server': <'stun:x'>}", "stun_server" },
    { "{'servers': <['h']>, 'username': <'u'>, 'stun_server': <'a;b'>}", "stun_server" },
    { "{'servers': <['h']>, 'username': <'u'>, 'turn_server': <'t'>}", "turn_server" },
    { "{'servers': <['h']>, 'username': <'u'>, 'turn_server': <'t'>, 'turn_username': <'x'>,"
      " 'turn_password': <'p;q'>}",
      "turn_password" },
    { "{'servers': <['h']>, 'username': <'u'>, 'ice': <'yes'>}", "ice" },
    { "{'servers': <['h']>, 'username': <'u'>, 'country_code': <'999'>}", "country_code" },
    { "{'servers': <['h']>, 'username': <'u'>, 'country_code': <'XX'>}", "country_code" },
    { "{'servers': <['h']>, 'username': <'u'>, 'country_code': <'+'>}", "country_code" },
    { "{'servers': <['h']>, 'username': <'u'>, 'country_code': <'+HK'>}", "country_code" },
    { "{'servers': <['h']>, 'username': <'u'>, 'country_code': <'8525'>}", "country_code" },
    { "{'servers': <['h']>, 'username': <'u'>, 'keepalive_interval': <uint32 3601>}",
      "keepalive_interval" },
    { "{'servers': <['h']>, 'username': <'u'>, 'keepalive_interval': <25>}", "keepalive_interval" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GVariant) v = parse (cases[i].settings);
      g_autoptr (GError) error = NULL;
      g_autoptr (RlAccount) a = rl_account_new_from_variant (v, &error);

      g_assert_null (a);
      g_assert_error (error, RL_ERROR, RL_ERROR_INVALID_ARGUMENT);
      if (!g_str_has_prefix (error->message, cases[i].key))
        g_error ("case %u: '%s' does not name '%s'", i, error->message, cases[i].key);
    }
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/account/full", test_full);
  g_test_add_func ("/account/defaults", test_defaults);
  g_test_add_func ("/account/errors-name-the-key", test_errors_name_the_key);
  g_test_add_func ("/account/media-nat", test_media_nat);
  g_test_add_func ("/account/country-code", test_country_code);
  return g_test_run ();
}
