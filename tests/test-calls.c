/* test-calls.c: several calls at once, the call limit, call quality and
 * muting, against the lab (kamailio, two caller bots, sipp) and an RTP peer
 * played by the test.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "rl-call-private.h"
#include "rl-error.h"
#include "rl-test-phone.h"
#include "rl-test-rtp-peer.h"

#include <stdlib.h>
#include <string.h>

typedef RlTestPhone Fixture;

static RlTestLab *lab;

static RlCall *
call_at (Fixture *f, guint position)
{
  g_autoptr (RlCall) call = g_list_model_get_item (rl_phone_get_calls (f->phone), position);

  return call;
}

/* caller rings agent 1003, who answers; then caller2 rings: call waiting.
 * Answering the second holds the first; resuming the first holds the second. */
static void
test_call_waiting (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RlCall) first = NULL;
  g_autoptr (RlCall) second = NULL;
  const char *agent = rl_test_lab_agent (lab, 2);

  rl_test_phone_sign_in (f, 2);
  rl_test_lab_call_from (lab, "caller", agent);
  rl_test_phone_wait_n_calls (f->phone, 1);
  first = g_object_ref (call_at (f, 0));
  g_assert_true (rl_phone_answer (f->phone, first, &error));
  rl_test_phone_wait_state (f, first, "accepted");

  rl_test_lab_call_from (lab, "caller2", agent);
  rl_test_phone_wait_n_calls (f->phone, 2);
  second = g_object_ref (call_at (f, 1));
  g_assert_cmpint (rl_call_get_state (second), ==, RL_CALL_STATE_RINGING);
  g_assert_cmpstr (rl_call_get_remote_number (second), ==, rl_test_lab_extension (lab, "caller2"));
  g_assert_cmpint (rl_call_get_state (first), ==, RL_CALL_STATE_ACCEPTED);
  /* A bare "answer" means the ringing call, not the one in progress. */
  g_assert_true (rl_phone_get_current_call (f->phone) == second);

  g_assert_true (rl_phone_answer (f->phone, second, &error));
  g_assert_no_error (error);
  rl_test_phone_wait_state (f, second, "accepted");
  rl_test_phone_wait_state (f, first, "held");
  g_assert_cmpint (rl_call_get_held_by (first), ==, RL_HELD_BY_LOCAL);

  /* Switching back. */
  g_ptr_array_set_size (f->states, 0);
  g_assert_true (rl_phone_resume (f->phone, first, &error));
  rl_test_phone_wait_state (f, second, "held");
  rl_test_phone_wait_state (f, first, "accepted");

  /* Hanging up one leaves the other as it was. */
  rl_test_phone_hang_up (f, g_steal_pointer (&first));
  g_assert_cmpint (rl_call_get_state (second), ==, RL_CALL_STATE_HELD);
  g_assert_true (rl_phone_resume (f->phone, second, &error));
  rl_test_phone_wait_state (f, second, "accepted");
  rl_test_phone_hang_up (f, g_steal_pointer (&second));
}

typedef struct
{
  Fixture *f;
  guint len;
} StatesWait;

static gboolean
states_reached (gpointer data)
{
  StatesWait *w = data;

  return w->f->states->len >= w->len;
}

static void
wait_more_states (Fixture *f, guint len)
{
  StatesWait w = { f, len };

  g_assert_true (rl_test_wait (states_reached, &w, 10));
}

/* With a limit of one call, a second caller is answered busy and the
 * refused call still leaves a record. Dialling beyond the limit is refused. */
static void
test_call_limit (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RlCall) first = NULL;
  g_autoptr (RlCall) refused = NULL;
  const char *agent = rl_test_lab_agent (lab, 2);
  guint before;

  g_object_set (f->phone, "max-calls", 1, NULL);
  rl_test_phone_sign_in (f, 2);
  rl_test_lab_call_from (lab, "caller", agent);
  rl_test_phone_wait_n_calls (f->phone, 1);
  first = g_object_ref (call_at (f, 0));
  g_assert_true (rl_phone_answer (f->phone, first, &error));
  rl_test_phone_wait_state (f, first, "accepted");

  before = f->states->len;
  rl_test_lab_call_from (lab, "caller2", agent);
  wait_more_states (f, before + 2);
  refused = g_object_ref (f->last);
  g_assert_true (refused != first);
  g_assert_cmpint (rl_call_get_state (refused), ==, RL_CALL_STATE_TERMINATED);
  g_assert_cmpint (rl_call_get_end_reason (refused), ==, RL_END_BUSY);
  g_assert_cmpuint (rl_call_get_end_code (refused), ==, 486);
  g_assert_cmpint (rl_call_get_direction (refused), ==, RL_CALL_DIRECTION_INBOUND);
  g_assert_cmpint (rl_call_get_state (first), ==, RL_CALL_STATE_ACCEPTED);
  g_assert_cmpuint (g_list_model_get_n_items (rl_phone_get_calls (f->phone)), ==, 1);

  g_assert_null (rl_phone_dial (f->phone, "6000", NULL, &error));
  g_assert_error (error, RL_ERROR, RL_ERROR_INVALID_STATE);
  rl_test_phone_hang_up (f, g_steal_pointer (&first));
}

/* Feeds the phone an event as a newer baresip sends it when the peer holds.
 * baresip 1.0 has no such event, so no peer in the lab can make it: this
 * drives the same path from the JSON on. */
static void
inject_event (Fixture *f, const char *type, RlCall *call)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (RlEngineEvent) event = NULL;
  g_autofree char *json
    = g_strdup_printf ("{\"event\":true,\"class\":\"call\",\"type\":\"%s\","
                       "\"direction\":\"outgoing\",\"id\":\"%s\",\"param\":\"\"}",
                       type, _rl_call_get_engine_id (call));

  g_assert_true (json_parser_load_from_data (parser, json, -1, NULL));
  event = rl_engine_event_new_from_json (json_node_get_object (json_parser_get_root (parser)));
  g_signal_emit_by_name (f->engine, "event", event);
}

static void
test_remote_hold (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  RlCall *call = rl_test_phone_dial_echo (f, 0);

  inject_event (f, "CALL_HOLD", call);
  g_assert_cmpint (rl_call_get_state (call), ==, RL_CALL_STATE_HELD);
  g_assert_cmpint (rl_call_get_held_by (call), ==, RL_HELD_BY_REMOTE);
  inject_event (f, "CALL_RESUME", call);
  g_assert_cmpint (rl_call_get_state (call), ==, RL_CALL_STATE_ACCEPTED);
  g_assert_cmpint (rl_call_get_held_by (call), ==, RL_HELD_BY_NONE);

  /* While we hold, the peer's hold and resume change nothing we show. */
  g_ptr_array_set_size (f->states, 0);
  g_assert_true (rl_phone_hold (f->phone, call, &error));
  rl_test_phone_wait_state (f, call, "held");
  inject_event (f, "CALL_HOLD", call);
  inject_event (f, "CALL_RESUME", call);
  g_assert_cmpint (rl_call_get_state (call), ==, RL_CALL_STATE_HELD);
  g_assert_cmpint (rl_call_get_held_by (call), ==, RL_HELD_BY_LOCAL);
  rl_test_phone_hang_up (f, call);
}

/* Dials the sipp peer whose SDP sends the media to @peer. */
static RlCall *
dial_media_peer (Fixture *f, RlTestRtpPeer *peer, GSubprocess **sipp)
{
  g_autofree char *port = g_strdup_printf ("%u", rl_test_rtp_peer_get_port (peer));
  g_autoptr (GError) error = NULL;
  RlCall *call;

  *sipp = rl_test_phone_start_sipp_peer (f, "uas-media-peer.xml",
                                         (const char *const[]){ "-key", "peer_port", port, NULL });
  call = rl_phone_dial (f->phone, "media", NULL, &error);
  g_assert_no_error (error);
  g_object_ref (call);
  rl_test_phone_wait_state (f, call, "accepted");
  return call;
}

typedef struct
{
  RlCall *call;
  const char *label;
} LabelWait;

static gboolean
label_is (gpointer data)
{
  LabelWait *w = data;
  const char *label = NULL;

  return g_variant_lookup (rl_call_get_quality (w->call), "label", "&s", &label)
         && g_str_equal (label, w->label);
}

static void
wait_label (RlCall *call, const char *label)
{
  LabelWait w = { call, label };
  gboolean reached = rl_test_wait (label_is, &w, 15);
  g_autofree char *quality = g_variant_print (rl_call_get_quality (call), TRUE);

  if (!reached)
    g_error ("quality never became %s: %s", label, quality);
  g_test_message ("%s", quality);
}

static double
quality_double (RlCall *call, const char *key)
{
  double value = -1;

  g_assert_true (g_variant_lookup (rl_call_get_quality (call), key, "d", &value));
  return value;
}

static void
count_notify (GObject *object, GParamSpec *pspec, guint *count)
{
  (*count)++;
}

/* The peer's stream loses one packet in four: the label falls to poor, and
 * comes back when the loss stops. */
static void
test_quality_under_loss (Fixture *f, gconstpointer data)
{
  g_autoptr (RlTestRtpPeer) peer = rl_test_rtp_peer_new ();
  g_autoptr (GSubprocess) sipp = NULL;
  g_autoptr (GVariant) record = NULL;
  g_autoptr (GVariant) recorded_quality = NULL;
  gint64 received = 0;
  guint notified = 0;
  RlCall *call = dial_media_peer (f, peer, &sipp);

  g_signal_connect (call, "notify::quality", G_CALLBACK (count_notify), &notified);
  wait_label (call, "excellent");
  g_assert_cmpfloat (quality_double (call, "loss_percent"), <, 1);
  g_assert_cmpfloat (quality_double (call, "mos"), >, 4);
  g_assert_cmpfloat (quality_double (call, "jitter_ms"), >=, 0);
  g_assert_cmpfloat (quality_double (call, "rtt_ms"), >=, 0);
  g_assert_true (g_variant_lookup (rl_call_get_quality (call), "packets_received", "x", &received));
  g_assert_cmpint (received, >, 0);

  rl_test_rtp_peer_set_drop_every (peer, 4);
  wait_label (call, "poor");
  g_assert_cmpfloat (quality_double (call, "loss_in_percent"), >, 15);
  g_assert_cmpfloat (quality_double (call, "loss_in_percent"), <, 35);

  rl_test_rtp_peer_set_drop_every (peer, 0);
  wait_label (call, "excellent");
  g_assert_cmpuint (notified, >=, 3);

  rl_test_phone_hang_up (f, g_object_ref (call));
  record = g_variant_ref_sink (rl_call_build_details (call));
  recorded_quality = g_variant_lookup_value (record, "quality", G_VARIANT_TYPE_VARDICT);
  g_assert_nonnull (recorded_quality);
  g_signal_handlers_disconnect_by_data (call, &notified);
  g_object_unref (call);
  rl_test_phone_assert_sipp_passed (sipp);
}

/* Listens to what reaches the peer for a second. */
static double
loud_share_for_a_second (RlTestRtpPeer *peer)
{
  rl_test_sleep (300); /* packets already on their way */
  rl_test_rtp_peer_reset (peer);
  rl_test_sleep (1000);
  g_assert_cmpuint (rl_test_rtp_peer_get_received (peer), >, 30);
  return rl_test_rtp_peer_get_loud_share (peer);
}

/* Muted, the peer still gets packets, but silent ones. */
static void
test_mute_is_silence (Fixture *f, gconstpointer data)
{
  g_autoptr (RlTestRtpPeer) peer = rl_test_rtp_peer_new ();
  g_autoptr (GSubprocess) sipp = NULL;
  g_autoptr (GError) error = NULL;
  RlCall *call = dial_media_peer (f, peer, &sipp);

  g_assert_cmpfloat (loud_share_for_a_second (peer), >, 0.5);
  g_assert_true (rl_phone_set_muted (f->phone, call, TRUE, &error));
  g_assert_true (rl_test_wait (rl_test_call_is_muted, call, 5));
  g_assert_cmpfloat (loud_share_for_a_second (peer), <, 0.01);
  g_assert_true (rl_phone_set_muted (f->phone, call, FALSE, &error));
  g_assert_true (rl_test_wait (rl_test_call_is_unmuted, call, 5));
  g_assert_cmpfloat (loud_share_for_a_second (peer), >, 0.5);
  rl_test_phone_hang_up (f, call);
  rl_test_phone_assert_sipp_passed (sipp);
}

static void
assert_platform_reason (RlCall *call, guint code, const char *text, const char *protocol)
{
  g_autoptr (GVariant) record = g_variant_ref_sink (rl_call_build_details (call));
  guint32 got_code = 0;
  const char *got_text = NULL;
  const char *got_protocol = NULL;

  g_assert_true (g_variant_lookup (record, "platform_code", "u", &got_code));
  g_assert_true (g_variant_lookup (record, "platform_text", "&s", &got_text));
  g_assert_true (g_variant_lookup (record, "platform_protocol", "&s", &got_protocol));
  g_assert_cmpuint (got_code, ==, code);
  g_assert_cmpstr (got_text, ==, text ? text : "");
  g_assert_cmpstr (got_protocol, ==, protocol ? protocol : "");
}

/* Dials @number at the sipp peer and waits for the call to end. */
static RlCall *
dial_until_ended (Fixture *f, const char *number)
{
  g_autoptr (GError) error = NULL;
  RlCall *call = rl_phone_dial (f->phone, number, NULL, &error);

  g_assert_no_error (error);
  g_object_ref (call);
  rl_test_phone_wait_state (f, call, "terminated");
  return call;
}

/* tests/lab/scenarios/uas-respond.xml with the response filled in, in the
 * lab's directory. */
static char *
write_refusal (guint n, const char *code, const char *reason, const char *header)
{
  g_autofree char *lab_dir = g_path_get_dirname (g_getenv ("RL_LAB"));
  g_autofree char *template = g_build_filename (lab_dir, "scenarios", "uas-respond.xml", NULL);
  g_autofree char *text = NULL;
  g_autofree char *name = g_strdup_printf ("uas-respond-%u.xml", n);
  g_autofree char *header_line = header ? g_strdup_printf ("      %s\n", header) : g_strdup ("");
  char *path = g_build_filename (rl_test_lab_dir (lab), name, NULL);
  g_autoptr (GString) scenario = NULL;
  g_autoptr (GError) error = NULL;

  g_file_get_contents (template, &text, NULL, &error);
  g_assert_no_error (error);
  scenario = g_string_new (text);
  g_string_replace (scenario, "@CODE@", code, 0);
  g_string_replace (scenario, "@REASON@", reason, 0);
  g_string_replace (scenario, "      @HEADERS@\n", header_line, 0);
  g_file_set_contents (path, scenario->str, -1, &error);
  g_assert_no_error (error);
  return path;
}

/* Each refusal a far end can answer, through a real SIP exchange with
 * sipp, lands in its category with the code and phrase; a Reason header's
 * platform code (seed 001's 800-819) comes along. */
static void
test_end_reasons (Fixture *f, gconstpointer data)
{
  static const struct
  {
    const char *code, *reason, *category, *header;
    guint platform_code;
    const char *platform_text, *platform_protocol;
  } cases[] = {
    { "404", "Not Found", "not-found" },
    { "480", "Temporarily Unavailable", "no-answer" },
    { "486", "Busy Here", "busy" },
    { "603", "Decline", "declined" },
    { "403", "Forbidden", "rejected" },
    { "500", "Server Internal Error", "failed" },
    { "503", "Service Unavailable", "unreachable" },
    { "403", "Forbidden", "rejected",
      "Reason: X-Platform;cause=810;text=\"Balance is insufficient\"", 810,
      "Balance is insufficient", "X-Platform" },
    { "480", "Temporarily Unavailable", "no-answer",
      "Reason: SIP;cause=480;text=\"Agent offline\", Q.850;cause=19", 19, "", "Q.850" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *scenario
        = write_refusal (i, cases[i].code, cases[i].reason, cases[i].header);
      g_autoptr (GSubprocess) sipp = rl_test_phone_start_sipp_peer (f, scenario, NULL);
      g_autoptr (RlCall) call = dial_until_ended (f, "refuse");

      g_test_message ("%s %s -> %s", cases[i].code, cases[i].reason,
                      rl_end_category_to_string (rl_call_get_end_reason (call)));
      g_assert_cmpstr (rl_end_category_to_string (rl_call_get_end_reason (call)), ==,
                       cases[i].category);
      g_assert_cmpuint (rl_call_get_end_code (call), ==, atoi (cases[i].code));
      g_assert_cmpstr (rl_call_get_end_text (call), ==, cases[i].reason);
      assert_platform_reason (call, cases[i].platform_code, cases[i].platform_text,
                              cases[i].platform_protocol);
      rl_test_phone_assert_sipp_passed (sipp);
    }
}

/* The far end hangs up with a BYE whose Reason headers hold a Q.850 cause
 * and a platform's code: the platform's is the one kept. */
static void
test_remote_bye_reason (Fixture *f, gconstpointer data)
{
  g_autoptr (GSubprocess) sipp = rl_test_phone_start_sipp_peer (f, "uas-answer-bye.xml", NULL);
  g_autoptr (RlCall) call = dial_until_ended (f, "bye");

  g_autoptr (GVariant) details = NULL;
  const char *category = NULL;

  g_assert_cmpint (rl_call_get_end_reason (call), ==, RL_END_REMOTE_HANGUP);
  assert_platform_reason (call, 813, "Login has expired, please login again", "X-Platform");
  details = g_variant_ref_sink (rl_call_build_details (call));
  g_assert_true (g_variant_lookup (details, "platform_category", "&s", &category));
  g_assert_cmpstr (category, ==, "sign-in");
  rl_test_phone_assert_sipp_passed (sipp);
}

/* Credentials the far end keeps refusing: the call ends auth-failed. */
static void
test_auth_failed (Fixture *f, gconstpointer data)
{
  g_autoptr (GSubprocess) sipp = rl_test_phone_start_sipp_peer (f, "uas-auth-fail.xml", NULL);
  g_autoptr (RlCall) call = dial_until_ended (f, "locked");

  g_assert_cmpint (rl_call_get_end_reason (call), ==, RL_END_AUTH_FAILED);
  g_assert_cmpuint (rl_call_get_end_code (call), ==, 407);
  rl_test_phone_assert_sipp_passed (sipp);
}

typedef struct
{
  guint refreshes; /* quality notifies whose packet counts moved on */
  gint64 sent;
  gint64 received;
} Cadence;

static void
on_quality_refresh (RlCall *call, GParamSpec *pspec, Cadence *c)
{
  gint64 sent = 0, received = 0;

  if (g_variant_lookup (rl_call_get_quality (call), "packets_sent", "x", &sent)
      && g_variant_lookup (rl_call_get_quality (call), "packets_received", "x", &received)
      && sent > c->sent && received > c->received)
    c->refreshes++;
  c->sent = MAX (sent, c->sent);
  c->received = MAX (received, c->received);
}

static gboolean
refreshed_five_times (gpointer data)
{
  return ((Cadence *) data)->refreshes >= 5;
}

/* A baresip peer sends RTCP every 5 s or so; between reports the call's
 * counters are read every 2 s, so its quality keeps moving: five refreshes
 * well within the time RTCP alone would take for two. */
static void
test_quality_cadence (Fixture *f, gconstpointer data)
{
  g_autoptr (RlCall) call = rl_test_phone_dial_echo (f, 2);
  Cadence cadence = { 0 };
  const char *label = NULL;

  g_signal_connect (call, "notify::quality", G_CALLBACK (on_quality_refresh), &cadence);
  g_assert_true (rl_test_wait (refreshed_five_times, &cadence, 12));
  g_assert_true (g_variant_lookup (rl_call_get_quality (call), "label", "&s", &label));
  g_assert_cmpstr (label, ==, "excellent");
  g_assert_true (g_variant_lookup (rl_call_get_quality (call), "bitrate_out_kbps", "d", NULL));
  g_signal_handlers_disconnect_by_data (call, &cadence);
  rl_test_phone_hang_up (f, g_steal_pointer (&call));
}

/* The far end's 180 makes the outbound call ringing (ConnexCS's
 * onRingingOut), with no early media; hanging up then sends CANCEL: the
 * call is cancelled. */
static void
test_cancel_while_ringing (Fixture *f, gconstpointer data)
{
  g_autoptr (GSubprocess) sipp = rl_test_phone_start_sipp_peer (f, "uas-ring-cancel.xml", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (GVariant) details = NULL;
  RlCall *call = g_object_ref (rl_phone_dial (f->phone, "ring", NULL, &error));
  gboolean early = TRUE;

  rl_test_phone_wait_state (f, call, "ringing");
  g_assert_true (rl_test_phone_has_state (f, call, "calling"));
  g_assert_false (rl_call_is_ringing_in (call));
  details = g_variant_ref_sink (rl_call_build_details (call));
  g_assert_true (g_variant_lookup (details, "early_media", "b", &early));
  g_assert_false (early);
  g_assert_true (rl_phone_answer (f->phone, call, &error) == FALSE);
  g_assert_error (error, RL_ERROR, RL_ERROR_INVALID_STATE);
  rl_test_phone_hang_up (f, g_object_ref (call));
  g_assert_cmpint (rl_call_get_end_reason (call), ==, RL_END_CANCELLED);
  g_object_unref (call);
  rl_test_phone_assert_sipp_passed (sipp);
}

/* A 183 with SDP: ringing with early media (the far end's own tones),
 * then answered. */
static void
test_early_media (Fixture *f, gconstpointer data)
{
  g_autoptr (GSubprocess) sipp = rl_test_phone_start_sipp_peer (f, "uas-early-media.xml", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (GVariant) details = NULL;
  RlCall *call = g_object_ref (rl_phone_dial (f->phone, "early", NULL, &error));
  gboolean early = FALSE;
  gint32 status = -1;

  g_assert_no_error (error);
  rl_test_phone_wait_state (f, call, "ringing");
  details = g_variant_ref_sink (rl_call_build_details (call));
  g_assert_true (g_variant_lookup (details, "early_media", "b", &early));
  g_assert_true (early);
  g_assert_true (g_variant_lookup (details, "dial_status", "i", &status));
  g_assert_cmpint (status, ==, 0);
  rl_test_phone_wait_state (f, call, "accepted");
  g_clear_pointer (&details, g_variant_unref);
  details = g_variant_ref_sink (rl_call_build_details (call));
  g_assert_true (g_variant_lookup (details, "dial_status", "i", &status));
  g_assert_cmpint (status, ==, 2);
  rl_test_phone_hang_up (f, call);
  rl_test_phone_assert_sipp_passed (sipp);
}

/* A phone freed between two DTMF digits stops sending them: its digit timer
 * goes with it (under ASan, a timer that outlived the phone reads freed
 * memory). */
static void
test_free_mid_dtmf (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RlCall) call = rl_test_phone_dial_echo (f, 0);
  RlPhone *phone = f->phone;

  g_assert_true (rl_phone_send_dtmf (phone, call, "123456789", &error));
  g_assert_no_error (error);
  rl_test_sleep (200);
  g_object_add_weak_pointer (G_OBJECT (phone), (gpointer *) &phone);
  g_clear_object (&f->phone);
  g_assert_null (phone);
  /* Longer than the digits would have taken. */
  rl_test_sleep (1800);
}

int
main (int argc, char *argv[])
{
  int ret;

  g_test_init (&argc, &argv, NULL);
  rl_test_setup_env ();
  lab = rl_test_phone_lab = rl_test_lab_start ();
#define ADD(path, func)                                                                            \
  g_test_add (path, Fixture, NULL, rl_test_phone_setup, func, rl_test_phone_teardown)
  ADD ("/calls/call-waiting", test_call_waiting);
  ADD ("/calls/call-limit", test_call_limit);
  ADD ("/calls/remote-hold", test_remote_hold);
  ADD ("/calls/quality-under-loss", test_quality_under_loss);
  ADD ("/calls/quality-cadence", test_quality_cadence);
  ADD ("/calls/mute-is-silence", test_mute_is_silence);
  ADD ("/calls/end-reasons", test_end_reasons);
  ADD ("/calls/remote-bye-reason", test_remote_bye_reason);
  ADD ("/calls/cancel-while-ringing", test_cancel_while_ringing);
  ADD ("/calls/early-media", test_early_media);
  ADD ("/calls/auth-failed", test_auth_failed);
  ADD ("/calls/free-mid-dtmf", test_free_mid_dtmf);
#undef ADD
  ret = g_test_run ();
  rl_test_lab_stop (lab);
  return ret;
}
