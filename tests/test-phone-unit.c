/* test-phone-unit.c: the phone against a scripted engine (rl-test-engine.c),
 * in milliseconds: registration, call states, call waiting, hold races, end
 * reasons, DTMF pacing. The engine is a stand-in on purpose: these tests
 * choose the order in which the engine's replies and events arrive, which a
 * real baresip does not let a test choose. test-phone.c and test-calls.c
 * run the same phone against the real lab.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "rl-call-private.h"
#include "rl-error.h"
#include "rl-phone-private.h"
#include "rl-phone.h"
#include "rl-screen-pop.h"
#include "rl-test-engine.h"
#include "rl-test-lab.h"

#include <string.h>

#define AOR "sip:1001@pbx.example"

typedef struct
{
  RlTestEngine *engine;
  RlPhone *phone;
  GPtrArray *states; /* "id:state", in the order the phone announced them */
  RlCall *last;      /* the call of the last state announced */
} Fixture;

static void
on_state (RlPhone *phone, RlCall *call, Fixture *f)
{
  g_ptr_array_add (f->states, g_strdup_printf ("%s:%s", rl_call_get_id (call),
                                               rl_call_state_to_string (rl_call_get_state (call))));
  g_set_object (&f->last, call);
}

static RlAccount *
account (const char *const *servers)
{
  static const char *const one[] = { "pbx.example", NULL };
  g_autoptr (GError) error = NULL;
  GVariantDict d;
  RlAccount *a;

  g_variant_dict_init (&d, NULL);
  g_variant_dict_insert_value (&d, "servers", g_variant_new_strv (servers ? servers : one, -1));
  g_variant_dict_insert (&d, "username", "s", "1001");
  g_variant_dict_insert (&d, "password", "s", "s3cret");
  a = rl_account_new_from_variant (g_variant_dict_end (&d), &error);
  g_assert_no_error (error);
  return a;
}

static void
setup (Fixture *f, gconstpointer data)
{
  f->engine = rl_test_engine_new ();
  f->phone = rl_phone_new (RL_ENGINE (f->engine));
  f->states = g_ptr_array_new_with_free_func (g_free);
  g_signal_connect (f->phone, "call-state-changed", G_CALLBACK (on_state), f);
  rl_test_engine_start (f->engine);
}

static void
teardown (Fixture *f, gconstpointer data)
{
  g_clear_object (&f->phone);
  g_clear_object (&f->engine);
  g_clear_object (&f->last);
  g_ptr_array_unref (f->states);
}

/* Runs the main loop until the engine's replies and the phone's reactions
 * to them are done. */
static void
settle (void)
{
  for (guint i = 0; i < 20; i++)
    while (g_main_context_iteration (NULL, FALSE))
      ;
}

/* The next command sent; NULL when none is left. */
static char *
next (Fixture *f)
{
  settle ();
  return rl_test_engine_take (f->engine);
}

static void
assert_next (Fixture *f, const char *prefix)
{
  g_autofree char *line = next (f);

  if (line == NULL || !g_str_has_prefix (line, prefix))
    g_error ("expected a command starting '%s', got '%s'", prefix, line ? line : "(none)");
}

static void
assert_nothing_sent (Fixture *f)
{
  g_autofree char *line = next (f);

  g_assert_cmpstr (line, ==, NULL);
}

static void
event (Fixture *f, const char *type, const char *id, const char *direction, const char *param)
{
  g_autofree char *json = g_strdup_printf (
    "{\"event\":true,\"type\":\"%s\",\"class\":\"call\",\"accountaor\":\"" AOR "\","
    "\"direction\":\"%s\",\"peeruri\":\"sip:2000@pbx.example\",\"peerdisplayname\":\"Bob\","
    "\"id\":\"%s\",\"param\":\"%s\"}",
    type, direction, id, param ? param : "");

  rl_test_engine_event (f->engine, json);
  settle ();
}

static void
register_event (Fixture *f, const char *type, const char *param)
{
  g_autofree char *json = g_strdup_printf (
    "{\"event\":true,\"type\":\"%s\",\"class\":\"register\",\"accountaor\":\"" AOR "\","
    "\"param\":\"%s\"}",
    type, param);

  rl_test_engine_event (f->engine, json);
  settle ();
}

static void
sign_in (Fixture *f)
{
  g_autoptr (RlAccount) a = account (NULL);

  rl_phone_set_account (f->phone, a);
  assert_next (f, "uanew ");
  assert_next (f, "uafind " AOR);
  register_event (f, "REGISTER_OK", "200 OK");
  g_assert_cmpint (rl_phone_get_registration_state (f->phone), ==, RL_REGISTRATION_REGISTERED);
}

/* Dials and lets the engine report the call up as @id. */
static RlCall *
talking_call (Fixture *f, const char *id)
{
  g_autoptr (GError) error = NULL;
  RlCall *call = rl_phone_dial (f->phone, "2000", NULL, &error);

  g_assert_no_error (error);
  assert_next (f, "dial ");
  event (f, "CALL_OUTGOING", id, "outgoing", NULL);
  event (f, "CALL_ESTABLISHED", id, "outgoing", NULL);
  g_assert_cmpint (rl_call_get_state (call), ==, RL_CALL_STATE_ACCEPTED);
  return g_object_ref (call);
}

static RlCall *
ringing_call (Fixture *f, const char *id)
{
  RlCall *call;

  event (f, "CALL_INCOMING", id, "incoming", NULL);
  call = rl_phone_get_current_call (f->phone);
  g_assert_nonnull (call);
  g_assert_cmpint (rl_call_get_state (call), ==, RL_CALL_STATE_RINGING);
  return g_object_ref (call);
}

static void
test_register (Fixture *f, gconstpointer data)
{
  g_autoptr (RlAccount) a = account (NULL);
  g_autofree char *uanew = NULL;

  rl_phone_set_account (f->phone, a);
  g_assert_cmpint (rl_phone_get_registration_state (f->phone), ==, RL_REGISTRATION_REGISTERING);
  uanew = next (f);
  g_assert_true (g_str_has_prefix (uanew, "uanew <sip:1001@pbx.example;transport=udp>"));
  g_assert_nonnull (strstr (uanew, ";auth_pass=s3cret"));
  g_assert_nonnull (strstr (uanew, ";regint=600;answermode=manual"));
  assert_next (f, "uafind " AOR);
  register_event (f, "REGISTERING", "");
  g_assert_cmpint (rl_phone_get_registration_state (f->phone), ==, RL_REGISTRATION_REGISTERING);
  register_event (f, "REGISTER_OK", "200 OK");
  g_assert_cmpint (rl_phone_get_registration_state (f->phone), ==, RL_REGISTRATION_REGISTERED);
  g_assert_cmpstr (rl_phone_get_registration_error (f->phone), ==, "");

  /* Another account's events are not ours. */
  rl_test_engine_event (f->engine, "{\"event\":true,\"type\":\"REGISTER_FAIL\","
                                   "\"accountaor\":\"sip:other@pbx.example\",\"param\":\"403\"}");
  settle ();
  g_assert_cmpint (rl_phone_get_registration_state (f->phone), ==, RL_REGISTRATION_REGISTERED);

  g_assert_true (rl_phone_unregister (f->phone, NULL));
  assert_next (f, "uadel " AOR);
  g_assert_cmpint (rl_phone_get_registration_state (f->phone), ==, RL_REGISTRATION_UNREGISTERED);
}

static void
test_register_refused (Fixture *f, gconstpointer data)
{
  g_autoptr (RlAccount) a = account (NULL);

  rl_phone_set_account (f->phone, a);
  settle ();
  rl_test_engine_forget (f->engine);
  register_event (f, "REGISTER_FAIL", "403 Forbidden");
  g_assert_cmpint (rl_phone_get_registration_state (f->phone), ==, RL_REGISTRATION_FAILED);
  g_assert_nonnull (strstr (rl_phone_get_registration_error (f->phone), "check the user name"));
  /* One server: nothing to fail over to. */
  assert_nothing_sent (f);
}

/* No answer from the first server: the next one is tried. */
static void
test_failover (Fixture *f, gconstpointer data)
{
  static const char *const servers[] = { "pbx.example", "backup.example", NULL };
  g_autoptr (RlAccount) a = account (servers);
  g_autofree char *second = NULL;

  rl_phone_set_account (f->phone, a);
  settle ();
  rl_test_engine_forget (f->engine);
  register_event (f, "REGISTER_FAIL", "503 Service Unavailable");
  assert_next (f, "uadel " AOR);
  second = next (f);
  g_assert_nonnull (strstr (second, "outbound1=\"sip:backup.example;transport=udp\""));
}

/* A uanew the engine refuses: registration failed, in Ringline's words,
 * never the engine's, which echo the account's passwords. */
static void
test_register_engine_error (Fixture *f, gconstpointer data)
{
  g_autoptr (RlAccount) a = account (NULL);

  rl_test_engine_set_failure (f->engine, "uanew",
                              "Creating UA for <sip:1001@pbx.example>;auth_pass=s3cret");
  rl_phone_set_account (f->phone, a);
  settle ();
  g_assert_cmpint (rl_phone_get_registration_state (f->phone), ==, RL_REGISTRATION_FAILED);
  g_assert_null (strstr (rl_phone_get_registration_error (f->phone), "s3cret"));
  g_assert_true (g_str_has_prefix (rl_phone_get_registration_error (f->phone),
                                   "The call engine refused the account"));
}

static void
test_dial_states (Fixture *f, gconstpointer data)
{
  g_autoptr (RlCall) call = NULL;
  g_autofree char *first = NULL;

  sign_in (f);
  call = talking_call (f, "c1");
  g_assert_cmpstr (rl_call_get_remote_name (call), ==, "Bob");
  event (f, "CALL_CLOSED", "c1", "outgoing", "Connection reset by peer");
  g_assert_cmpint (rl_call_get_state (call), ==, RL_CALL_STATE_TERMINATED);
  g_assert_cmpint (rl_call_get_end_reason (call), ==, RL_END_REMOTE_HANGUP);
  g_assert_cmpuint (g_list_model_get_n_items (rl_phone_get_calls (f->phone)), ==, 0);
  first = g_strdup_printf ("%s:calling", rl_call_get_id (call));
  g_assert_cmpuint (f->states->len, ==, 3);
  g_assert_cmpstr (g_ptr_array_index (f->states, 0), ==, first);
}

static void
test_dial_refused (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  RlCall *call;

  /* Not registered: nothing is sent. */
  g_assert_null (rl_phone_dial (f->phone, "2000", NULL, &error));
  g_assert_error (error, RL_ERROR, RL_ERROR_NOT_REGISTERED);
  g_clear_error (&error);
  sign_in (f);
  call = rl_phone_dial (f->phone, "2000", NULL, &error);
  g_assert_no_error (error);
  g_object_ref (call);
  assert_next (f, "dial ");
  event (f, "CALL_OUTGOING", "c1", "outgoing", NULL);
  event (f, "CALL_CLOSED", "c1", "outgoing", "486 Busy Here");
  g_assert_cmpint (rl_call_get_end_reason (call), ==, RL_END_BUSY);
  g_assert_cmpuint (rl_call_get_end_code (call), ==, 486);
  g_assert_cmpstr (rl_call_get_end_text (call), ==, "Busy Here");
  g_object_unref (call);
}

/* The engine refuses the dial itself: the call fails with its words. */
static void
test_dial_engine_error (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RlCall) call = NULL;

  sign_in (f);
  rl_test_engine_set_failure (f->engine, "dial", "ua_connect failed: Invalid argument");
  call = g_object_ref (rl_phone_dial (f->phone, "2000", NULL, &error));
  settle ();
  g_assert_cmpint (rl_call_get_state (call), ==, RL_CALL_STATE_TERMINATED);
  g_assert_cmpint (rl_call_get_end_reason (call), ==, RL_END_FAILED);
  g_assert_cmpstr (rl_call_get_end_text (call), ==, "ua_connect failed: Invalid argument");
}

/* A hangup before the engine named the call goes out once it does. */
static void
test_hangup_before_id (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RlCall) call = NULL;

  sign_in (f);
  call = g_object_ref (rl_phone_dial (f->phone, "2000", NULL, &error));
  assert_next (f, "dial ");
  g_assert_true (rl_phone_hangup (f->phone, call, &error));
  assert_nothing_sent (f);
  event (f, "CALL_OUTGOING", "c1", "outgoing", NULL);
  assert_next (f, "hangup");
  /* baresip 1.0 sends no CALL_CLOSED for its own hangup: the reply ends it. */
  g_assert_cmpint (rl_call_get_state (call), ==, RL_CALL_STATE_TERMINATED);
  g_assert_cmpint (rl_call_get_end_reason (call), ==, RL_END_CANCELLED);
}

static void
test_local_hangup (Fixture *f, gconstpointer data)
{
  g_autoptr (RlCall) call = NULL;

  sign_in (f);
  call = talking_call (f, "c1");
  g_assert_true (rl_phone_hangup (f->phone, call, NULL));
  assert_next (f, "hangup");
  g_assert_cmpint (rl_call_get_end_reason (call), ==, RL_END_LOCAL_HANGUP);
}

static void
test_decline (Fixture *f, gconstpointer data)
{
  g_autoptr (RlCall) call = NULL;
  g_autoptr (GError) error = NULL;

  sign_in (f);
  call = ringing_call (f, "in1");
  g_assert_false (rl_phone_hold (f->phone, call, &error));
  g_assert_error (error, RL_ERROR, RL_ERROR_INVALID_STATE);
  g_assert_true (rl_phone_decline (f->phone, call, NULL));
  assert_next (f, "hangup");
  g_assert_cmpint (rl_call_get_end_reason (call), ==, RL_END_DECLINED);
}

/* A second caller while talking: answering holds the first, and commands go
 * to the right line. */
static void
test_call_waiting (Fixture *f, gconstpointer data)
{
  g_autoptr (RlCall) first = NULL;
  g_autoptr (RlCall) second = NULL;

  sign_in (f);
  first = talking_call (f, "c1");
  second = ringing_call (f, "c2");
  g_assert_true (rl_phone_answer (f->phone, second, NULL));
  assert_next (f, "line 1");
  assert_next (f, "hold");
  assert_next (f, "line 2");
  assert_next (f, "accept");
  g_assert_cmpint (rl_call_get_state (first), ==, RL_CALL_STATE_HELD);
  g_assert_cmpint (rl_call_get_held_by (first), ==, RL_HELD_BY_LOCAL);
  event (f, "CALL_ESTABLISHED", "c2", "incoming", NULL);
  g_assert_cmpint (rl_call_get_state (second), ==, RL_CALL_STATE_ACCEPTED);

  /* Switching back holds the second and resumes the first. */
  g_assert_true (rl_phone_resume (f->phone, first, NULL));
  assert_next (f, "line 2");
  assert_next (f, "hold");
  assert_next (f, "line 1");
  assert_next (f, "resume");
  g_assert_cmpint (rl_call_get_state (first), ==, RL_CALL_STATE_ACCEPTED);
  g_assert_cmpint (rl_call_get_state (second), ==, RL_CALL_STATE_HELD);
}

/* Beyond max-calls, a caller is answered busy and still gets a record. */
static void
test_call_limit (Fixture *f, gconstpointer data)
{
  g_autoptr (RlCall) first = NULL;

  rl_phone_set_max_calls (f->phone, 1);
  sign_in (f);
  first = talking_call (f, "c1");
  event (f, "CALL_INCOMING", "c2", "incoming", NULL);
  g_assert_true (f->last != first);
  g_assert_cmpint (rl_call_get_state (f->last), ==, RL_CALL_STATE_TERMINATED);
  g_assert_cmpint (rl_call_get_end_reason (f->last), ==, RL_END_BUSY);
  g_assert_cmpuint (rl_call_get_end_code (f->last), ==, 486);
  assert_next (f, "line 2");
  assert_next (f, "hangup");
  g_assert_cmpuint (g_list_model_get_n_items (rl_phone_get_calls (f->phone)), ==, 1);
}

/* The hold's reply comes after the far end hung up: the ended call stays
 * ended. */
static void
test_hold_reply_after_end (Fixture *f, gconstpointer data)
{
  g_autoptr (RlCall) call = NULL;

  sign_in (f);
  call = talking_call (f, "c1");
  rl_test_engine_hold_replies (f->engine);
  g_assert_true (rl_phone_hold (f->phone, call, NULL));
  assert_next (f, "hold");
  event (f, "CALL_CLOSED", "c1", "outgoing", "Connection reset by peer");
  rl_test_engine_release_replies (f->engine);
  settle ();
  g_assert_cmpint (rl_call_get_state (call), ==, RL_CALL_STATE_TERMINATED);
  g_assert_cmpint (rl_call_get_held_by (call), ==, RL_HELD_BY_NONE);
}

/* Held by the far end and by us at once: ours wins; each resume undoes its
 * own. */
static void
test_hold_both_ways (Fixture *f, gconstpointer data)
{
  g_autoptr (RlCall) call = NULL;

  sign_in (f);
  call = talking_call (f, "c1");
  event (f, "CALL_HOLD", "c1", "outgoing", NULL);
  g_assert_cmpint (rl_call_get_held_by (call), ==, RL_HELD_BY_REMOTE);
  g_assert_true (rl_phone_hold (f->phone, call, NULL));
  settle ();
  g_assert_cmpint (rl_call_get_held_by (call), ==, RL_HELD_BY_LOCAL);
  event (f, "CALL_RESUME", "c1", "outgoing", NULL);
  g_assert_cmpint (rl_call_get_held_by (call), ==, RL_HELD_BY_LOCAL);
  g_assert_true (rl_phone_resume (f->phone, call, NULL));
  settle ();
  g_assert_cmpint (rl_call_get_state (call), ==, RL_CALL_STATE_ACCEPTED);
}

static void
test_end_reasons (Fixture *f, gconstpointer data)
{
  static const struct
  {
    const char *param;
    RlEndCategory category;
    guint code;
  } rows[] = {
    { "603 Decline", RL_END_DECLINED, 603 },
    { "404 Not Found", RL_END_NOT_FOUND, 404 },
    { "480 Temporarily Unavailable", RL_END_NO_ANSWER, 480 },
    { "503 Service Unavailable", RL_END_UNREACHABLE, 503 },
    { "Connection timed out", RL_END_UNREACHABLE, 0 },
    { "Call transferred", RL_END_TRANSFERRED, 0 },
    { "something else", RL_END_FAILED, 0 },
  };

  sign_in (f);
  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_autofree char *id = g_strdup_printf ("c%u", i);
      g_autoptr (RlCall) call = talking_call (f, id);

      event (f, "CALL_CLOSED", id, "outgoing", rows[i].param);
      g_assert_cmpint (rl_call_get_end_reason (call), ==, rows[i].category);
      g_assert_cmpuint (rl_call_get_end_code (call), ==, rows[i].code);
    }
}

/* The engine dies mid-call: the call ends with reason network, and the
 * phone registers again once the engine is back. */
static void
test_engine_lost (Fixture *f, gconstpointer data)
{
  g_autoptr (RlCall) call = NULL;

  sign_in (f);
  call = talking_call (f, "c1");
  rl_test_engine_lose (f->engine, "baresip was killed by signal 9");
  g_assert_cmpint (rl_call_get_end_reason (call), ==, RL_END_NETWORK);
  g_assert_cmpint (rl_phone_get_registration_state (f->phone), ==, RL_REGISTRATION_REGISTERING);
  rl_test_engine_forget (f->engine);
  rl_test_engine_start (f->engine);
  assert_next (f, "uanew ");
}

/* Digits go out one at a time, a tone and its pause apart. */
static void
test_dtmf_pacing (Fixture *f, gconstpointer data)
{
  g_autoptr (RlCall) call = NULL;
  g_autoptr (GError) error = NULL;
  gint64 at[4];

  sign_in (f);
  call = talking_call (f, "c1");
  g_assert_false (rl_phone_send_dtmf (f->phone, call, "12x", &error));
  g_assert_error (error, RL_ERROR, RL_ERROR_INVALID_ARGUMENT);
  g_assert_true (rl_phone_send_dtmf (f->phone, call, "1a#", NULL));
  g_assert_true (rl_phone_send_dtmf (f->phone, call, "9", NULL));
  rl_test_sleep (700);
  for (guint i = 0; i < 4; i++)
    {
      g_autofree char *line = rl_test_engine_take_timed (f->engine, &at[i]);
      static const char *const want[] = { "sndcode 1", "sndcode A", "sndcode #", "sndcode 9" };

      g_assert_cmpstr (line, ==, want[i]);
      if (i > 0)
        g_assert_cmpint (at[i] - at[i - 1], >=, 150 * 1000);
    }
  assert_nothing_sent (f);
}

/* Freed between two digits, the phone takes its digit timer with it. */
static void
test_free_mid_dtmf (Fixture *f, gconstpointer data)
{
  g_autoptr (RlCall) call = NULL;

  sign_in (f);
  call = talking_call (f, "c1");
  g_assert_true (rl_phone_send_dtmf (f->phone, call, "123456", NULL));
  g_clear_object (&f->phone);
  rl_test_sleep (400);
  g_assert_cmpstr (rl_test_engine_take (f->engine), ==, "sndcode 1");
  g_assert_null (rl_test_engine_take (f->engine));
}

/* An engine reply that comes after the phone is gone finds nothing. */
static void
test_free_with_reply_pending (Fixture *f, gconstpointer data)
{
  g_autoptr (RlCall) call = NULL;

  sign_in (f);
  call = talking_call (f, "c1");
  rl_test_engine_hold_replies (f->engine);
  g_assert_true (rl_phone_hangup (f->phone, call, NULL));
  g_assert_true (rl_phone_set_muted (f->phone, call, TRUE, NULL));
  g_clear_object (&f->phone);
  rl_test_engine_release_replies (f->engine);
  settle ();
  g_assert_cmpint (rl_call_get_state (call), ==, RL_CALL_STATE_ACCEPTED);
}

#define MODERN                                                                                     \
  (RL_ENGINE_FEATURE_CALL_IDS | RL_ENGINE_FEATURE_HANGUP_STATUS | RL_ENGINE_FEATURE_CLOSE_REASON   \
   | RL_ENGINE_FEATURE_MUTE_STATE)

/* A modern baresip: commands name their call instead of selecting a line
 * first, a decline answers 603, mute says which way. */
static void
test_modern_call_ids (Fixture *f, gconstpointer data)
{
  g_autoptr (RlCall) first = NULL;
  g_autoptr (RlCall) second = NULL;
  g_autoptr (RlCall) third = NULL;

  rl_test_engine_set_features (f->engine, MODERN);
  rl_phone_set_max_calls (f->phone, 3);
  sign_in (f);
  first = talking_call (f, "c1");
  g_assert_true (rl_phone_set_muted (f->phone, first, TRUE, NULL));
  assert_next (f, "mute yes");
  second = ringing_call (f, "c2");
  g_assert_true (rl_phone_answer (f->phone, second, NULL));
  assert_next (f, "hold c1");
  assert_next (f, "accept c2");
  event (f, "CALL_ESTABLISHED", "c2", "incoming", NULL);
  /* What takes no id acts on the current call: selected by id. */
  g_assert_true (rl_phone_send_dtmf (f->phone, first, "5", NULL));
  assert_next (f, "callfind c1");
  assert_next (f, "sndcode 5");
  third = ringing_call (f, "c3");
  g_assert_true (rl_phone_decline (f->phone, third, NULL));
  assert_next (f, "hangup c3 scode=603 reason=Decline");
  g_assert_true (rl_phone_hangup (f->phone, second, NULL));
  assert_next (f, "hangup c2");
  event (f, "CALL_CLOSED", "c2", "incoming", "Connection reset by user");
  g_assert_cmpint (rl_call_get_end_reason (second), ==, RL_END_LOCAL_HANGUP);
}

/* A modern baresip's dial reply names the call: it is bound even before
 * its first event. */
static void
test_modern_dial_reply (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  RlCall *call;

  rl_test_engine_set_features (f->engine, MODERN);
  rl_test_engine_set_reply (f->engine, "dial", "call uri: sip:2000@pbx.example\ncall id: abc123\n");
  sign_in (f);
  call = rl_phone_dial (f->phone, "2000", NULL, &error);
  g_assert_no_error (error);
  assert_next (f, "dial ");
  g_assert_true (rl_phone_hangup (f->phone, call, NULL));
  assert_next (f, "hangup abc123");
}

/* An account whose media NAT needs a module the engine lacks is refused,
 * naming the setting and the module. */
static void
test_nat_module_missing (Fixture *f, gconstpointer data)
{
  g_autoptr (GVariant) v = g_variant_ref_sink (
    g_variant_new_parsed ("{'servers': <['pbx.example']>, 'username': <'1001'>, 'ice': <true>}"));
  g_autoptr (RlAccount) a = rl_account_new_from_variant (v, NULL);
  g_autoptr (GError) error = NULL;

  g_assert_false (rl_phone_check_account (f->phone, a, &error));
  g_assert_error (error, RL_ERROR, RL_ERROR_INVALID_ARGUMENT);
  g_assert_true (g_str_has_prefix (error->message, "ice: "));
  g_assert_nonnull (strstr (error->message, "ice.so"));
  g_clear_error (&error);
  rl_test_engine_set_features (f->engine, RL_ENGINE_FEATURE_ICE);
  g_assert_true (rl_phone_check_account (f->phone, a, &error));
  g_assert_no_error (error);
}

/* The screen pop's address: each value percent-encoded, only http(s),
 * unknown fields refused rather than sent as they are. */
static void
test_screen_pop_expand (void)
{
  g_autoptr (GVariant) options
    = g_variant_ref_sink (g_variant_new_parsed ("{'engagement_id': <'E 7/8'>}"));
  g_autoptr (RlCall) call
    = _rl_call_new (RL_CALL_DIRECTION_OUTBOUND, "sip:+34 600@pbx", "Ana & Luis", "1001", options);
  static const char *const refused[]
    = { "file:///etc/passwd?{number}", "javascript:alert(1)", "https://crm/{nope}",
        "crm.example.com/{number}", "https://crm/{number" };
  g_autoptr (GError) error = NULL;
  g_autofree char *url = rl_screen_pop_expand (
    "https://crm.example.com/pop?n={number}&who={name}&d={direction}&e={engagement_id}", call,
    &error);

  g_assert_no_error (error);
  g_assert_cmpstr (url, ==,
                   "https://crm.example.com/pop?n=%2B34%20600&who=Ana%20%26%20Luis&d=outbound"
                   "&e=E%207%2F8");
  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autofree char *bad = rl_screen_pop_expand (refused[i], call, &error);

      g_assert_null (bad);
      g_assert_nonnull (error);
      g_clear_error (&error);
    }
}

/* The auto-answer hints PBXs and dialers send, and headers that are none. */
static void
test_auto_answer_hints (void)
{
  static const struct
  {
    const char *headers;
    gint delay;
  } cases[] = {
    { "{'Call-Info': '<sip:pbx>;answer-after=0'}", 0 },
    { "{'call-info': '<sip:pbx>;Answer-After=5'}", 5 },
    { "{'Call-Info': '<sip:pbx>;answer-after=9999'}", 60 },
    { "{'Alert-Info': '<http://x>;info=alert-autoanswer;delay=2'}", 2 },
    { "{'Alert-Info': 'Auto Answer'}", 0 },
    { "{'Alert-Info': '<http://x>;info=alert-autoanswer'}", 0 },
    { "{'Answer-Mode': 'Auto;require'}", 0 },
    { "{'Answer-Mode': 'Manual'}", -1 },
    { "{'Call-Info': '<http://x/photo.png>;purpose=icon'}", -1 },
    { "{'Alert-Info': '<http://x/ring.wav>'}", -1 },
    { "{'X-Engagement-Id': 'answer-after=0'}", -1 },
    { "@a{ss} {}", -1 },
  };

  g_assert_cmpint (_rl_phone_auto_answer_delay (NULL), ==, -1);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GVariant) headers = g_variant_ref_sink (g_variant_new_parsed (cases[i].headers));

      g_assert_cmpint (_rl_phone_auto_answer_delay (headers), ==, cases[i].delay);
    }
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
#define ADD(path, func) g_test_add (path, Fixture, NULL, setup, func, teardown)
  g_test_add_func ("/phone-unit/screen-pop-expand", test_screen_pop_expand);
  g_test_add_func ("/phone-unit/auto-answer-hints", test_auto_answer_hints);
  ADD ("/phone-unit/register", test_register);
  ADD ("/phone-unit/register-refused", test_register_refused);
  ADD ("/phone-unit/register-engine-error", test_register_engine_error);
  ADD ("/phone-unit/failover", test_failover);
  ADD ("/phone-unit/dial-states", test_dial_states);
  ADD ("/phone-unit/dial-refused", test_dial_refused);
  ADD ("/phone-unit/dial-engine-error", test_dial_engine_error);
  ADD ("/phone-unit/hangup-before-id", test_hangup_before_id);
  ADD ("/phone-unit/local-hangup", test_local_hangup);
  ADD ("/phone-unit/decline", test_decline);
  ADD ("/phone-unit/call-waiting", test_call_waiting);
  ADD ("/phone-unit/call-limit", test_call_limit);
  ADD ("/phone-unit/hold-reply-after-end", test_hold_reply_after_end);
  ADD ("/phone-unit/hold-both-ways", test_hold_both_ways);
  ADD ("/phone-unit/end-reasons", test_end_reasons);
  ADD ("/phone-unit/engine-lost", test_engine_lost);
  ADD ("/phone-unit/dtmf-pacing", test_dtmf_pacing);
  ADD ("/phone-unit/free-mid-dtmf", test_free_mid_dtmf);
  ADD ("/phone-unit/free-with-reply-pending", test_free_with_reply_pending);
  ADD ("/phone-unit/modern-call-ids", test_modern_call_ids);
  ADD ("/phone-unit/modern-dial-reply", test_modern_dial_reply);
  ADD ("/phone-unit/nat-module-missing", test_nat_module_missing);
#undef ADD
  return g_test_run ();
}
