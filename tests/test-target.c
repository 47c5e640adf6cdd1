/* test-target.c: what can be dialled, and what links mean.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "rl-error.h"
#include "rl-target.h"
#include "rl-test-link-vectors.h"

static void
test_valid (void)
{
  const struct
  {
    const char *in, *out;
  } cases[] = {
    { "6000", "6000" },
    { " +1 (555) 123-4567 ", "+15551234567" },
    { "+34 917.37.01.92", "+34917370192" },
    { "*72#", "*72#" },
    { "tel:+15551234", "+15551234" },
    { "TEL:+1-555-1234;phone-context=example.com", "+15551234" },
    { "callto:+15551234", "+15551234" },
    { "callto://5551234", "5551234" },
    { "callto:alice@example.org", "sip:alice@example.org" },
    { "sip:alice@example.org", "sip:alice@example.org" },
    { "SIP:6000@127.0.0.1:5060;transport=tcp", "sip:6000@127.0.0.1:5060;transport=tcp" },
    { "sips:bob@example.org", "sips:bob@example.org" },
    { "alice@example.org", "sip:alice@example.org" },
    { "alice", "alice" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autofree char *out = rl_target_normalize (cases[i].in, &error);

      g_assert_no_error (error);
      g_assert_cmpstr (out, ==, cases[i].out);
    }
}

static void
test_invalid (void)
{
  g_autofree char *long_number = g_strnfill (RL_TARGET_MAX_LENGTH + 1, '1');
  const char *cases[] = {
    "",     "   ",       "!!!",          "12ab34",       "+",           "--",
    "1+2",  "sip:",      "sip:@host",    "sip:a b@host", "sip:a@ho st", "sip:<a@b>",
    "tel:", "555\n1234", "sip:a@ho\rst", "sip:a@",       long_number,   "\xff\xfe",
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autofree char *out = rl_target_normalize (cases[i], &error);

      if (out != NULL)
        g_error ("'%s' should be refused, got '%s'", cases[i], out);
      g_assert_error (error, RL_ERROR, RL_ERROR_INVALID_ARGUMENT);
    }
  g_assert_null (rl_target_normalize (NULL, NULL));
}

static void
test_links (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *a = rl_target_from_link ("tel:+1%20555%201234", &error);
  g_autofree char *b = rl_target_from_link ("sip:alice@example.org", NULL);
  g_autofree char *c = rl_target_from_link ("https://example.org", NULL);
  g_autofree char *d = rl_target_from_link ("tel:%ZZ", NULL);

  g_assert_no_error (error);
  g_assert_cmpstr (a, ==, "+15551234");
  g_assert_cmpstr (b, ==, "sip:alice@example.org");
  g_assert_null (c);
  g_assert_null (d);
  g_assert_true (rl_target_is_link ("callto:1"));
  g_assert_false (rl_target_is_link ("mailto:a@b"));
}

static void
test_uri_parts (void)
{
  g_autofree char *user = rl_target_uri_user ("sip:6000@127.0.0.1:5060;transport=udp");
  g_autofree char *bare = rl_target_uri_user ("+15551234");
  g_autofree char *host = rl_target_uri_host ("sip:6000@127.0.0.1:5060;transport=udp");
  g_autofree char *server = rl_target_uri_host ("pbx.example.org:5080");

  g_assert_cmpstr (user, ==, "6000");
  g_assert_cmpstr (bare, ==, "+15551234");
  g_assert_cmpstr (host, ==, "127.0.0.1:5060");
  g_assert_cmpstr (server, ==, "pbx.example.org:5080");
}

/* The link vectors (rl-test-link-vectors.h) through the parser. */
static void
test_link_vectors (void)
{
  const RlTestLinkVector *vectors = rl_test_link_vectors;

  for (guint i = 0; i < G_N_ELEMENTS (rl_test_link_vectors); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autofree char *post_dial = NULL;
      g_autofree char *dial = rl_target_normalize_full (vectors[i].in, &post_dial, &error);

      g_test_message ("%s", vectors[i].in);
      g_assert_cmpstr (dial, ==, vectors[i].dial);
      g_assert_cmpstr (post_dial, ==, vectors[i].post_dial);
      if (vectors[i].dial == NULL)
        g_assert_error (error, RL_ERROR, RL_ERROR_INVALID_ARGUMENT);
    }
  g_assert_cmpuint (G_N_ELEMENTS (rl_test_link_vectors), >=, 40);
}

/* A link's extension survives the number entry: it comes back as a tel:
 * URI that dials the same. */
static void
test_link_keeps_extension (void)
{
  g_autofree char *entry = rl_target_from_link ("tel:+1-201-555-0123;ext=42", NULL);
  g_autofree char *post_dial = NULL;
  g_autofree char *dial = NULL;

  g_assert_cmpstr (entry, ==, "tel:+12015550123;postd=42");
  dial = rl_target_normalize_full (entry, &post_dial, NULL);
  g_assert_cmpstr (dial, ==, "+12015550123");
  g_assert_cmpstr (post_dial, ==, "42");
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/target/valid", test_valid);
  g_test_add_func ("/target/invalid", test_invalid);
  g_test_add_func ("/target/links", test_links);
  g_test_add_func ("/target/link-vectors", test_link_vectors);
  g_test_add_func ("/target/link-keeps-extension", test_link_keeps_extension);
  g_test_add_func ("/target/uri-parts", test_uri_parts);
  return g_test_run ();
}
