/* test-end-reason.c: one assertion per row of the end-reason table.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "rl-end-reason.h"
#include "rl-platform-code.h"
#include "rl-sip-trace.h"

static void
test_table (void)
{
  const struct
  {
    const char *param, *category;
    guint code;
    const char *text;
  } rows[] = {
    { "486 Busy Here", "busy", 486, "Busy Here" },
    { "600 Busy Everywhere", "busy", 600, "Busy Everywhere" },
    { "603 Decline", "declined", 603, "Decline" },
    { "404 Not Found", "not-found", 404, "Not Found" },
    { "604 Does Not Exist Anywhere", "not-found", 604, "Does Not Exist Anywhere" },
    { "484 Address Incomplete", "not-found", 484, "Address Incomplete" },
    { "410 Gone", "not-found", 410, "Gone" },
    { "408 Request Timeout", "no-answer", 408, "Request Timeout" },
    { "480 Temporarily Unavailable", "no-answer", 480, "Temporarily Unavailable" },
    { "487 Request Terminated", "cancelled", 487, "Request Terminated" },
    { "401 Unauthorized", "auth-failed", 401, "Unauthorized" },
    { "407 Proxy Authentication Required", "auth-failed", 407, "Proxy Authentication Required" },
    { "403 Forbidden", "rejected", 403, "Forbidden" },
    { "488 Not Acceptable Here", "rejected", 488, "Not Acceptable Here" },
    { "503 Service Unavailable", "unreachable", 503, "Service Unavailable" },
    { "500 Server Internal Error", "failed", 500, "Server Internal Error" },
    { "606 Not Acceptable", "rejected", 606, "Not Acceptable" },
    { "Connection reset by user", "local-hangup", 0, "Connection reset by user" },
    { "Connection reset by peer", "remote-hangup", 0, "Connection reset by peer" },
    { "Call transfered", "transferred", 0, "Call transfered" },
    { "Connection timed out", "unreachable", 0, "Connection timed out" },
    { "Operation not supported", "failed", 0, "Operation not supported" },
    { "", "failed", 0, "" },
    { "something new", "failed", 0, "something new" },
    { "200 OK", "failed", 0, "200 OK" }, /* not an error status */
    /* Modern baresip ends an error text with its errno. */
    { "Connection reset by peer [104]", "remote-hangup", 0, "Connection reset by peer" },
    { "Connection timed out [110]", "unreachable", 0, "Connection timed out" },
    { "rtp stream error [5]", "failed", 0, "rtp stream error" },
    { "odd [text]", "failed", 0, "odd [text]" },
    /* baresip 1.0 when the audio device fails: never shown as it is. */
    { "Unknown error -2", "failed", 0, "The call engine could not set up the call (error -2)" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      RlEndReason r = { 0 };

      rl_end_reason_from_engine (rows[i].param, &r);
      g_assert_cmpstr (rl_end_category_to_string (r.category), ==, rows[i].category);
      g_assert_cmpuint (r.code, ==, rows[i].code);
      g_assert_cmpstr (r.text, ==, rows[i].text);
      rl_end_reason_clear (&r);
    }
}

/* Modern baresip's CALL_CLOSED: the status line, then the Reason header
 * after a comma; anything else stays whole. */
static void
test_split_param (void)
{
  const struct
  {
    const char *param, *status, *header;
  } rows[] = {
    { "486 Busy Here,Q.850;cause=17;text=\"User busy\"", "486 Busy Here",
      "Q.850;cause=17;text=\"User busy\"" },
    { "480 Temporarily Unavailable,SIP;cause=480;text=\"a, b\", Q.850;cause=19",
      "480 Temporarily Unavailable", "SIP;cause=480;text=\"a, b\",Q.850;cause=19" },
    { "486 Busy Here", "486 Busy Here", NULL },
    { "Connection reset by peer [104]", "Connection reset by peer [104]", NULL },
    { "500 Oops, sorry", "500 Oops, sorry", NULL }, /* no cause: a phrase with a comma */
    { "", "", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_autofree char *param = g_strdup (rows[i].param);
      g_autofree char *header = NULL;

      rl_end_reason_split_param (&param, &header);
      g_assert_cmpstr (param, ==, rows[i].status);
      g_assert_cmpstr (header, ==, rows[i].header);
    }
}

/* Reason headers (RFC 3326) as networks send them, and broken ones. */
static void
test_header (void)
{
  const struct
  {
    const char *header;
    guint code;
    const char *text, *protocol;
  } rows[] = {
    { "X-Platform;cause=810;text=\"Balance is insufficient\"", 810, "Balance is insufficient",
      "X-Platform" },
    { "Q.850 ; cause = 16 ; text=\"Normal call clearing\"", 16, "Normal call clearing", "Q.850" },
    { "SIP;cause=600;text=\"Busy\", Q.850;cause=17", 17, "", "Q.850" },
    { "Q.850;cause=16, X-Acme;cause=819;text=\"DID number call failed\"", 819,
      "DID number call failed", "X-Acme" },
    { "SIP;cause=200;text=\"Call completed elsewhere\"", 200, "Call completed elsewhere", "SIP" },
    { "X;cause=811;text=\"a, quoted; \\\"text\\\"\"", 811, "a, quoted; \"text\"", "X" },
    { "X;text=\"no cause\"", 0, NULL, NULL },
    { "X;cause=8a1", 0, NULL, NULL },
    { "X;cause=", 0, NULL, NULL },
    { "X;cause=12345678", 0, NULL, NULL },
    { "X;cause=801;text=\"unterminated", 801, "unterminated", "X" },
    { "", 0, NULL, NULL },
    { NULL, 0, NULL, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      RlEndReason r = { 0 };
      gboolean found = rl_end_reason_read_header (rows[i].header, &r);

      g_test_message ("%s", rows[i].header);
      g_assert_cmpint (found, ==, rows[i].protocol != NULL);
      g_assert_cmpuint (r.platform_code, ==, rows[i].code);
      g_assert_cmpstr (r.platform_text, ==, rows[i].text);
      g_assert_cmpstr (r.platform_protocol, ==, rows[i].protocol);
      rl_end_reason_clear (&r);
    }
}

static void
feed (RlSipTrace *trace, const char *text)
{
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);

  for (guint i = 0; lines[i]; i++)
    rl_sip_trace_feed (trace, lines[i]);
}

/* baresip 1.0's trace, as it prints it with -s: colour codes, CRLF. */
#define TRACE_BLOCK(start, call_id, cseq, reason)                                                  \
  "\033[36;1m#\n"                                                                                  \
  "UDP 127.0.0.1:5070 -> 127.0.0.1:5060\n" start "\r\n"                                            \
  "Via: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bK1\r\n"                                            \
  "Call-ID: " call_id "\r\n"                                                                       \
  "CSeq: " cseq "\r\n" reason "Content-Length: 0\r\n"                                              \
  "\r\n"                                                                                           \
  "\033[;m"

static void
test_trace (void)
{
  g_autoptr (RlSipTrace) trace = rl_sip_trace_new ();
  g_autofree char *refusal = NULL;
  g_autofree char *bye = NULL;
  g_autofree char *folded = NULL;

  g_assert_false (rl_sip_trace_feed (trace, "call: connecting to 'sip:a@127.0.0.1'.."));
  /* baresip's call status line is still open when a block starts. */
  g_assert_true (rl_sip_trace_feed (trace, "\r[0:00:01] audio=0/0 (bit/s)    \r\033[36;1m#"));
  g_assert_true (rl_sip_trace_feed (trace, "UDP 127.0.0.1:5070 -> 127.0.0.1:5060"));
  g_assert_true (rl_sip_trace_feed (trace, "SIP/2.0 100 Trying\r"));
  g_assert_true (rl_sip_trace_feed (trace, "\r"));
  g_assert_true (rl_sip_trace_feed (trace, "\033[;m"));
  g_assert_false (rl_sip_trace_feed (trace, "sip:a@127.0.0.1: session closed: 486 Busy Here"));
  /* Modern baresip puts the time before the block's mark. */
  g_assert_true (rl_sip_trace_feed (trace, "\033[36;1m08:06:47.868#"));
  g_assert_true (rl_sip_trace_feed (trace, "UDP 127.0.0.1:5070 -> 127.0.0.1:5060"));
  g_assert_true (rl_sip_trace_feed (trace, "SIP/2.0 100 Trying\r"));
  g_assert_true (rl_sip_trace_feed (trace, "\033[;m"));

  feed (trace, TRACE_BLOCK ("SIP/2.0 486 Busy Here", "one", "1 INVITE",
                            "Reason: X-Platform;cause=810;text=\"Balance\"\r\n"));
  /* A Reason on a message that ends nothing is not kept. */
  feed (trace, TRACE_BLOCK ("SIP/2.0 180 Ringing", "two", "1 INVITE", "Reason: X;cause=1\r\n"));
  feed (trace, TRACE_BLOCK ("SIP/2.0 486 Busy Here", "three", "2 REFER", "Reason: X;cause=1\r\n"));
  feed (trace, TRACE_BLOCK ("BYE sip:1001@127.0.0.1 SIP/2.0", "four", "2 BYE",
                            "Reason: Q.850;cause=16\r\nReason: X;cause=813\r\n"));
  feed (trace, TRACE_BLOCK ("CANCEL sip:1001@127.0.0.1 SIP/2.0", "five", "1 CANCEL",
                            "Reason: SIP;cause=200;\r\n text=\"Call completed elsewhere\"\r\n"));
  refusal = rl_sip_trace_take_reason (trace, "one");
  g_assert_cmpstr (refusal, ==, "X-Platform;cause=810;text=\"Balance\"");
  g_assert_null (rl_sip_trace_take_reason (trace, "one"));
  g_assert_null (rl_sip_trace_take_reason (trace, "two"));
  g_assert_null (rl_sip_trace_take_reason (trace, "three"));
  bye = rl_sip_trace_take_reason (trace, "four");
  g_assert_cmpstr (bye, ==, "Q.850;cause=16, X;cause=813");
  folded = rl_sip_trace_take_reason (trace, "five");
  g_assert_cmpstr (folded, ==, "SIP;cause=200; text=\"Call completed elsewhere\"");
}

/* Calls that end without a CALL_CLOSED to take their reason leave it
 * behind: only the newest few are kept. */
static void
test_trace_bounded (void)
{
  g_autoptr (RlSipTrace) trace = rl_sip_trace_new ();
  g_autofree char *last = NULL;

  for (guint i = 0; i < 1000; i++)
    {
      g_autofree char *block = g_strdup_printf (
        TRACE_BLOCK ("SIP/2.0 603 Decline", "call-%u", "1 INVITE", "Reason: X;cause=%u\r\n"), i, i);

      feed (trace, block);
    }
  g_assert_null (rl_sip_trace_take_reason (trace, "call-0"));
  last = rl_sip_trace_take_reason (trace, "call-999");
  g_assert_cmpstr (last, ==, "X;cause=999");
}

/* A caller's body that holds what looks like a block ending another call
 * is skipped by its Content-Length; bytes past a message's length are
 * skipped too; and the message that really ends a call replaces whatever
 * was kept for it. */
static void
test_trace_forged_body (void)
{
  g_autoptr (RlSipTrace) trace = rl_sip_trace_new ();
  const char *forged = "\033[;m\n\033[36;1m#\nUDP 127.0.0.1:5070 -> 127.0.0.1:5060\n"
                       "BYE sip:1001@127.0.0.1 SIP/2.0\r\nCall-ID: victim\r\nCSeq: 9 BYE\r\n"
                       "Reason: X;cause=666\r\nContent-Length: 0\r\n\r\n";
  g_autofree char *message = g_strdup_printf (
    "\033[36;1m#\nUDP 127.0.0.1:5070 -> 127.0.0.1:5060\n"
    "MESSAGE sip:1001@127.0.0.1 SIP/2.0\r\nCall-ID: attacker\r\nCSeq: 1 MESSAGE\r\n"
    "Content-Length: %zu\r\n\r\n%s\033[;m",
    strlen (forged), forged);
  g_autofree char *padded = g_strdup_printf (
    "\033[36;1m#\nUDP 127.0.0.1:5070 -> 127.0.0.1:5060\n"
    "MESSAGE sip:1001@127.0.0.1 SIP/2.0\r\nCall-ID: attacker\r\nCSeq: 2 MESSAGE\r\n"
    "Content-Length: 2\r\n\r\nhi%s\033[;m",
    forged);
  g_autofree char *real = NULL;

  feed (trace, message);
  g_assert_null (rl_sip_trace_take_reason (trace, "victim"));
  /* Blocks after it are read as before. */
  feed (trace, TRACE_BLOCK ("SIP/2.0 486 Busy Here", "other", "1 INVITE", "Reason: X;cause=1\r\n"));
  real = rl_sip_trace_take_reason (trace, "other");
  g_assert_cmpstr (real, ==, "X;cause=1");

  /* Past the length, a fake end and a fake block: the fake is read, but
   * the victim's own ending message, with no Reason, replaces it. */
  feed (trace, padded);
  feed (trace, TRACE_BLOCK ("BYE sip:1001@127.0.0.1 SIP/2.0", "victim", "3 BYE", ""));
  g_assert_null (rl_sip_trace_take_reason (trace, "victim"));
}

static char *
offer_header (GVariant *offer, const char *name)
{
  char *value = NULL;

  g_variant_lookup (offer, name, "s", &value);
  return value;
}

/* The INVITE that offers a call hands on its X- headers, User-to-User and
 * auto-answer hints, however many headers of a name and in any case; a
 * re-INVITE (To has a tag) and other headers are not kept; values are
 * bounded. */
static void
test_trace_offer (void)
{
  g_autoptr (RlSipTrace) trace = rl_sip_trace_new ();
  g_autoptr (GVariant) offer = NULL;
  g_autoptr (GVariant) bare = NULL;
  g_autofree char *big = g_strnfill (2000, 'a');
  g_autofree char *with_big = g_strdup_printf ("X-Big: %s\r\n", big);
  g_autofree char *block
    = g_strdup_printf (TRACE_BLOCK ("INVITE sip:1003@127.0.0.1 SIP/2.0", "offer", "1 INVITE",
                                    "To: <sip:1003@127.0.0.1>\r\nX-Engagement-Id: eng-4711\r\n"
                                    "x-tag: a\r\nx-tag: b\r\nUser-to-User: 0462;encoding=hex\r\n"
                                    "Alert-Info: <http://x>;info=alert-autoanswer;delay=3\r\n"
                                    "Proxy-Authorization: Digest response=\"secret\"\r\n%s"),
                       with_big);
  const char *names[] = { "X-Engagement-Id", "x-tag", "User-to-User", "Alert-Info" };
  const char *values[]
    = { "eng-4711", "a, b", "0462;encoding=hex", "<http://x>;info=alert-autoanswer;delay=3" };

  feed (trace, block);
  feed (trace, TRACE_BLOCK ("INVITE sip:1003@127.0.0.1 SIP/2.0", "reinvite", "2 INVITE",
                            "To: <sip:1003@127.0.0.1>;TAG=x\r\nX-Engagement-Id: no\r\n"));
  feed (trace, TRACE_BLOCK ("INVITE sip:1003@127.0.0.1 SIP/2.0", "bare", "1 INVITE",
                            "To: <sip:1003@127.0.0.1>\r\n"));
  offer = rl_sip_trace_take_offer (trace, "offer");
  g_assert_nonnull (offer);
  g_assert_cmpuint (g_variant_n_children (offer), ==, G_N_ELEMENTS (names));
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *value = offer_header (offer, names[i]);

      g_assert_cmpstr (value, ==, values[i]);
    }
  g_assert_null (rl_sip_trace_take_offer (trace, "offer"));
  g_assert_null (rl_sip_trace_take_offer (trace, "reinvite"));
  bare = rl_sip_trace_take_offer (trace, "bare");
  g_assert_nonnull (bare);
  g_assert_cmpuint (g_variant_n_children (bare), ==, 0);
}

/* Seed 001's hang-up codes, each with a category a CRM acts on and words
 * for the agent; any other code is the platform's own. */
static void
test_platform_codes (void)
{
  static const struct
  {
    guint code;
    const char *category;
  } known[] = {
    { 800, "network" }, { 801, "network" }, { 810, "account" }, { 811, "number" },
    { 812, "number" },  { 813, "sign-in" }, { 814, "number" },  { 815, "account" },
    { 816, "number" },  { 817, "account" }, { 819, "number" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (known); i++)
    {
      g_test_message ("%u", known[i].code);
      g_assert_cmpstr (rl_platform_code_category (known[i].code), ==, known[i].category);
      g_assert_nonnull (rl_platform_code_text (known[i].code));
      g_assert_cmpstr (rl_platform_code_text (known[i].code), !=, "");
    }
  g_assert_cmpstr (rl_platform_code_category (818), ==, "platform");
  g_assert_null (rl_platform_code_text (818));
  g_assert_null (rl_platform_code_category (0));
  g_assert_cmpuint (RL_PLATFORM_CODE_LOGIN_EXPIRED, ==, 813);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/end-reason/table", test_table);
  g_test_add_func ("/end-reason/split-param", test_split_param);
  g_test_add_func ("/end-reason/header", test_header);
  g_test_add_func ("/end-reason/trace", test_trace);
  g_test_add_func ("/end-reason/trace-bounded", test_trace_bounded);
  g_test_add_func ("/end-reason/trace-forged-body", test_trace_forged_body);
  g_test_add_func ("/end-reason/trace-offer", test_trace_offer);
  g_test_add_func ("/end-reason/platform-codes", test_platform_codes);
  return g_test_run ();
}
