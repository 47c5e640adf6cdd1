/* test-agent.c: what a call center adds to calls — the agent's status, park
 * slots and recording — through the core's verbs, against the lab: its
 * reference backend, kamailio, and baresip bots as callers and park lot.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "rl-call-private.h"
#include "rl-core.h"
#include "rl-error.h"
#include "rl-test-lab.h"
#include "rl-test-phone.h"
#include "rl-verbs.h"

static RlTestLab *lab;

/* ---- helpers ---- */

static gboolean
run_verb (RlCore *core, const char *verb, GVariant *param, GError **error)
{
  g_autoptr (GAsyncResult) result = NULL;

  rl_verbs_invoke_async (core, verb, param, NULL, rl_test_keep_result, &result);
  return rl_verbs_invoke_finish (core, rl_test_wait_result (&result, 30), NULL, error);
}

/* A started core, signed in through the verb as lab agent @agent and
 * registered with the session's SIP account. */
static RlCore *
signed_in_core (guint agent)
{
  RlCore *core = rl_core_new ();
  g_autoptr (GError) error = NULL;

  rl_core_startup (core);
  run_verb (core, "sign-in",
            g_variant_new ("(sss)", rl_test_lab_backend_url (lab),
                           rl_test_lab_backend_email (lab, agent),
                           rl_test_lab_backend_password (lab, agent)),
            &error);
  g_assert_no_error (error);
  g_assert_true (rl_test_wait (rl_test_phone_is_registered, rl_core_get_phone (core), 30));
  return core;
}

static void
sign_out_and_stop (RlCore *core)
{
  g_autoptr (GError) error = NULL;

  run_verb (core, "sign-out", NULL, &error);
  g_assert_no_error (error);
  rl_core_shutdown (core);
}

static const char *
access_token (RlCore *core)
{
  return rl_backend_get_access_token (rl_session_get_backend (rl_core_get_session (core)));
}

/* ---- agent status ---- */

typedef struct
{
  RlCore *core;
  const char *status;
  const char *reason;
} StatusWait;

static gboolean
backend_has_status (gpointer data)
{
  StatusWait *w = data;
  g_autoptr (JsonNode) reply = rl_test_lab_backend_request (lab, "GET", "/api/agent-status",
                                                            access_token (w->core), NULL, NULL);
  JsonObject *o = json_node_get_object (reply);

  rl_test_sleep (50);
  return g_str_equal (json_object_get_string_member (o, "status"), w->status)
         && g_str_equal (json_object_get_string_member (o, "reason"), w->reason);
}

static void
assert_backend_status (RlCore *core, const char *status, const char *reason)
{
  StatusWait w = { core, status, reason };

  g_assert_true (rl_test_wait (backend_has_status, &w, 10));
}

static gboolean
is_status (gpointer data)
{
  StatusWait *w = data;
  RlAgentStatus *status = rl_core_get_agent_status (w->core);

  return g_str_equal (rl_agent_state_to_string (rl_agent_status_get_state (status)), w->status)
         && g_str_equal (rl_agent_status_get_reason (status), w->reason);
}

static void
wait_status (RlCore *core, const char *status, const char *reason)
{
  StatusWait w = { core, status, reason };

  g_assert_true (rl_test_wait (is_status, &w, 10));
}

static void
set_status (RlCore *core, const char *status, const char *reason)
{
  g_autoptr (GError) error = NULL;

  run_verb (core, "set-agent-status", g_variant_new ("(ss)", status, reason), &error);
  g_assert_no_error (error);
}

static gboolean
slot_filled (gpointer slot)
{
  return *(gpointer *) slot != NULL;
}

static void
keep_ended (RlCall **slot, RlCall *call)
{
  if (rl_call_get_state (call) == RL_CALL_STATE_TERMINATED)
    g_set_object (slot, call);
}

static RlCall *
dial_echo (RlCore *core)
{
  g_autoptr (GError) error = NULL;
  RlCall *call
    = rl_phone_dial (rl_core_get_phone (core), rl_test_lab_extension (lab, "echo"), NULL, &error);

  g_assert_no_error (error);
  g_assert_true (rl_test_wait (rl_test_phone_talks, rl_core_get_phone (core), 20));
  return g_object_ref (call);
}

/* Seed 001's seat status: a rest reason is kept by the backend, refuses
 * inbound calls (busy) but lets the agent dial; idle turns busy for the
 * length of a call; a bad status is refused with a clear error; a new
 * instance signing in finds the rest again. */
static void
test_agent_status (void)
{
  g_autoptr (RlCore) core = signed_in_core (0);
  g_autoptr (RlCore) again = NULL;
  g_autoptr (RlCall) ended = NULL;
  g_autoptr (RlCall) call = NULL;
  g_autoptr (GError) error = NULL;
  RlPhone *phone = rl_core_get_phone (core);
  RlAgentStatus *status = rl_core_get_agent_status (core);
  static const char *const bad[][2]
    = { { "rest", "" }, { "idle", "meal" }, { "sleeping", "" }, { "rest", "nap" } };

  g_assert_cmpint (rl_agent_status_get_state (status), ==, RL_AGENT_STATE_IDLE);
  g_assert_cmpuint (rl_agent_status_get_code (status), ==, 1);
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_clear_error (&error);
      g_assert_false (
        run_verb (core, "set-agent-status", g_variant_new ("(ss)", bad[i][0], bad[i][1]), &error));
      g_assert_error (error, RL_ERROR, RL_ERROR_INVALID_ARGUMENT);
    }

  set_status (core, "rest", "meal");
  g_assert_cmpuint (rl_agent_status_get_code (status), ==, 4);
  g_assert_true (rl_phone_get_refuse_inbound (phone));
  assert_backend_status (core, "rest", "meal");

  /* Resting: the caller bot's call is answered busy. */
  g_signal_connect_swapped (phone, "call-state-changed", G_CALLBACK (keep_ended), &ended);
  rl_test_lab_call_from (lab, "caller", rl_test_lab_agent (lab, 0));
  g_assert_true (rl_test_wait (slot_filled, &ended, 20));
  g_assert_cmpint (rl_call_get_direction (ended), ==, RL_CALL_DIRECTION_INBOUND);
  g_assert_cmpint (rl_call_get_end_reason (ended), ==, RL_END_BUSY);
  g_assert_cmpuint (rl_call_get_end_code (ended), ==, 486);
  g_clear_object (&ended);

  /* Resting, dialling works and the rest stays. */
  call = dial_echo (core);
  g_assert_cmpint (rl_agent_status_get_state (status), ==, RL_AGENT_STATE_REST);
  rl_phone_hangup (phone, call, NULL);
  g_assert_true (rl_test_wait (slot_filled, &ended, 20));
  g_clear_object (&ended);
  g_clear_object (&call);

  /* Idle: busy for the call's length, on the backend too, then idle. */
  set_status (core, "idle", "");
  g_assert_false (rl_phone_get_refuse_inbound (phone));
  call = dial_echo (core);
  wait_status (core, "busy", "");
  assert_backend_status (core, "busy", "");
  rl_phone_hangup (phone, call, NULL);
  wait_status (core, "idle", "");
  assert_backend_status (core, "idle", "");

  /* The backend keeps a rest for the next sign-in. */
  set_status (core, "rest", "meeting");
  assert_backend_status (core, "rest", "meeting");
  g_signal_handlers_disconnect_by_data (phone, &ended);
  rl_core_shutdown (core);
  g_clear_object (&core);
  again = signed_in_core (0);
  wait_status (again, "rest", "meeting");
  g_assert_cmpuint (rl_agent_status_get_code (rl_core_get_agent_status (again)), ==, 3);
  set_status (again, "idle", "");
  assert_backend_status (again, "idle", "");
  sign_out_and_stop (again);
}

/* nxcloud's seat codes beyond the rests: 6 sleeping; a busy chosen by
 * hand refuses inbound calls as a rest does; after a call, wrap-up for the
 * configured time (no inbound calls), then idle by itself; a status set
 * elsewhere (another instance, the backend) is picked up within 10 s. */
static void
test_agent_status_more (void)
{
  g_autoptr (RlCore) core = signed_in_core (1);
  g_autoptr (RlCall) call = NULL;
  RlPhone *phone = rl_core_get_phone (core);
  RlAgentStatus *status = rl_core_get_agent_status (core);
  g_autofree char *token = NULL;
  guint http_status = 0;

  set_status (core, "rest", "sleeping");
  g_assert_cmpuint (rl_agent_status_get_code (status), ==, 6);
  assert_backend_status (core, "rest", "sleeping");

  set_status (core, "busy", "");
  g_assert_true (rl_phone_get_refuse_inbound (phone));
  set_status (core, "idle", "");
  g_assert_false (rl_phone_get_refuse_inbound (phone));

  g_settings_set_uint (rl_core_get_settings (core), "wrap-up-seconds", 2);
  call = dial_echo (core);
  wait_status (core, "busy", "");
  g_assert_false (rl_phone_get_refuse_inbound (phone)); /* busy by the call, not by choice */
  rl_phone_hangup (phone, call, NULL);
  wait_status (core, "wrap-up", "");
  g_assert_cmpuint (rl_agent_status_get_code (status), ==, 8);
  g_assert_true (rl_phone_get_refuse_inbound (phone));
  assert_backend_status (core, "wrap-up", "");
  wait_status (core, "idle", "");
  assert_backend_status (core, "idle", "");
  g_settings_reset (rl_core_get_settings (core), "wrap-up-seconds");

  /* Another instance of the agent (here, the backend's API) rests. */
  token = g_strdup (access_token (core));
  json_node_unref (rl_test_lab_backend_request (lab, "PUT", "/api/agent-status", token,
                                                "{\"status\": \"rest\", \"reason\": \"meeting\"}",
                                                &http_status));
  g_assert_cmpuint (http_status / 100, ==, 2);
  wait_status (core, "rest", "meeting");
  g_assert_true (rl_phone_get_refuse_inbound (phone));
  set_status (core, "idle", "");
  assert_backend_status (core, "idle", "");
  sign_out_and_stop (core);
}

/* ---- recording ---- */

static void
record (RlCore *core, RlCall *call, const char *verb, GError **error)
{
  run_verb (core, verb, g_variant_new_string (rl_call_get_id (call)), error);
}

typedef struct
{
  RlHistory *history;
  const char *call_id;
  char *url;
} UrlWait;

static gboolean
history_has_url (gpointer data)
{
  UrlWait *w = data;
  g_autoptr (GVariant) rows = rl_test_read_history (w->history, 0, 20, NULL);
  GVariantIter iter;
  GVariant *row;

  g_variant_iter_init (&iter, rows);
  while ((row = g_variant_iter_next_value (&iter)))
    {
      g_autoptr (GVariant) owned = row;
      const char *id = NULL, *url = NULL;

      if (g_variant_lookup (row, "id", "&s", &id) && g_str_equal (id, w->call_id)
          && g_variant_lookup (row, "recording_url", "&s", &url) && *url)
        w->url = g_strdup (url);
    }
  rl_test_sleep (50);
  return w->url != NULL;
}

/* Start and stop go through the backend; stopping gives the recording's
 * address; a call that ends while recorded is stopped and its history row
 * gets the address. A backend failure leaves the call unrecorded and says
 * why; without a backend there is no recording. */
static void
test_recording (void)
{
  g_autoptr (RlCore) core = signed_in_core (1);
  g_autoptr (RlCore) lone = rl_core_new ();
  g_autoptr (RlCall) call = NULL;
  g_autoptr (RlCall) unsigned_call = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GAsyncResult) result = NULL;
  g_autofree char *first_url = NULL;
  UrlWait wait = { rl_core_get_history (core) };

  call = dial_echo (core);
  record (core, call, "start-recording", &error);
  g_assert_no_error (error);
  g_assert_true (rl_call_get_recording (call));
  record (core, call, "stop-recording", &error);
  g_assert_no_error (error);
  g_assert_false (rl_call_get_recording (call));
  g_assert_nonnull (rl_call_get_recording_url (call));
  g_assert_true (g_str_has_prefix (rl_call_get_recording_url (call), "http://127.0.0.1:"));
  first_url = g_strdup (rl_call_get_recording_url (call));

  rl_test_lab_backend_fault (lab, "/api/recording", "500", 1, 0);
  record (core, call, "start-recording", &error);
  g_assert_error (error, RL_ERROR, RL_ERROR_BACKEND);
  g_clear_error (&error);
  g_assert_false (rl_call_get_recording (call));

  record (core, call, "start-recording", &error);
  g_assert_no_error (error);
  g_assert_true (rl_call_get_recording (call));
  rl_phone_hangup (rl_core_get_phone (core), call, NULL);
  wait.call_id = rl_call_get_id (call);
  g_assert_true (rl_test_wait (history_has_url, &wait, 20));
  g_assert_cmpstr (wait.url, ==, first_url);
  g_assert_false (rl_call_get_recording (call));
  g_free (wait.url);

  record (core, call, "stop-recording", &error);
  g_assert_error (error, RL_ERROR, RL_ERROR_NOT_FOUND);
  g_clear_error (&error);
  sign_out_and_stop (core);

  /* Not signed in: refused before any request. */
  unsigned_call
    = _rl_call_new (RL_CALL_DIRECTION_OUTBOUND, "sip:6000@127.0.0.1", NULL, "1001", NULL);
  _rl_call_set_state (unsigned_call, RL_CALL_STATE_ACCEPTED);
  rl_recorder_set_async (rl_core_get_recorder (lone), unsigned_call, TRUE, NULL,
                         rl_test_keep_result, &result);
  g_assert_false (
    rl_recorder_set_finish (rl_core_get_recorder (lone), rl_test_wait_result (&result, 5), &error));
  g_assert_error (error, RL_ERROR, RL_ERROR_NOT_SIGNED_IN);
}

/* ---- park slots ---- */

typedef struct
{
  RlCore *core;
  const char *slot;
  const char *number; /* NULL: free */
  const char *parked_by;
} SlotWait;

static gboolean
slot_is (gpointer data)
{
  SlotWait *w = data;
  GVariantIter iter;
  GVariant *slot;
  gboolean found = FALSE;

  g_variant_iter_init (&iter, rl_park_slots_get_slots (rl_core_get_park_slots (w->core)));
  while (!found && (slot = g_variant_iter_next_value (&iter)))
    {
      g_autoptr (GVariant) owned = slot;
      const char *extension = "", *number = NULL, *parked_by = NULL;
      gboolean occupied = FALSE;

      g_variant_lookup (slot, "extension", "&s", &extension);
      if (!g_str_equal (extension, w->slot))
        continue;
      g_variant_lookup (slot, "occupied", "b", &occupied);
      g_variant_lookup (slot, "phone_number", "&s", &number);
      g_variant_lookup (slot, "parked_by", "&s", &parked_by);
      found = w->number ? occupied && g_strcmp0 (number, w->number) == 0
                            && (!w->parked_by || g_strcmp0 (parked_by, w->parked_by) == 0)
                        : !occupied;
    }
  return found;
}

static void
wait_slot (RlCore *core, const char *slot, const char *number, const char *parked_by)
{
  SlotWait w = { core, slot, number, parked_by };

  g_assert_true (rl_test_wait (slot_is, &w, 20));
}

static void
count_parked (guint *parked)
{
  (*parked)++;
}

static RlCall *
answer_caller (RlCore *core, guint agent)
{
  RlPhone *phone = rl_core_get_phone (core);
  RlCall *call;

  rl_test_lab_call_from (lab, "caller", rl_test_lab_agent (lab, agent));
  g_assert_true (rl_test_wait (rl_test_phone_rings, phone, 20));
  call = rl_phone_get_current_call (phone);
  g_assert_true (rl_phone_answer (phone, call, NULL));
  g_assert_true (rl_test_wait (rl_test_phone_talks, phone, 20));
  return g_object_ref (call);
}

static RlCall *
retrieve (RlCore *core, const char *slot)
{
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GVariant) id = NULL;
  g_autoptr (GError) error = NULL;

  rl_verbs_invoke_async (core, "retrieve", g_variant_new_string (slot), NULL, rl_test_keep_result,
                         &result);
  rl_verbs_invoke_finish (core, rl_test_wait_result (&result, 40), &id, &error);
  g_assert_no_error (error);
  return g_object_ref (
    rl_phone_find_call (rl_core_get_phone (core), g_variant_get_string (id, NULL)));
}

/* The lab's parking lot end to end: a caller's call is parked in slot 700
 * through the backend (which names where to transfer it), shows there as
 * the caller's, parked by this agent, and comes back on retrieve, answered
 * by itself; then parked by a plain transfer to slot 701 and retrieved
 * again. Bad slots are refused with clear errors. */
static void
test_park (void)
{
  g_autoptr (RlCore) core = signed_in_core (2);
  RlParkSlots *park = rl_core_get_park_slots (core);
  GSettings *settings = rl_core_get_settings (core);
  const char *agent = rl_test_lab_agent (lab, 2);
  const char *caller = rl_test_lab_extension (lab, "caller");
  g_autoptr (RlCall) call = NULL;
  g_autoptr (RlCall) back = NULL;
  g_autoptr (GError) error = NULL;
  guint parked = 0, failed = 0;

  g_settings_set_uint (settings, "park-poll-interval", 1000);
  g_signal_connect_swapped (park, "parked", G_CALLBACK (count_parked), &parked);
  g_signal_connect_swapped (park, "park-failed", G_CALLBACK (count_parked), &failed);
  g_assert_false (rl_park_slots_get_polling (park));
  rl_park_slots_hold (park);
  g_assert_true (rl_park_slots_get_polling (park));
  wait_slot (core, "700", NULL, NULL);
  wait_slot (core, "701", NULL, NULL);

  call = answer_caller (core, 2);
  run_verb (core, "park", g_variant_new ("(ss)", rl_call_get_id (call), "70 0"), &error);
  g_assert_error (error, RL_ERROR, RL_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  run_verb (core, "park", g_variant_new ("(ss)", rl_call_get_id (call), "799"), &error);
  g_assert_error (error, RL_ERROR, RL_ERROR_BACKEND);
  g_clear_error (&error);
  g_assert_cmpuint (failed, ==, 1);

  run_verb (core, "park", g_variant_new ("(ss)", rl_call_get_id (call), "700"), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (parked, ==, 1);
  g_assert_true (rl_test_wait (rl_test_call_has_ended, call, 20));
  wait_slot (core, "700", caller, agent);

  run_verb (core, "retrieve", g_variant_new_string ("701"), &error);
  g_assert_error (error, RL_ERROR, RL_ERROR_INVALID_STATE);
  g_clear_error (&error);
  back = retrieve (core, "700");
  g_assert_cmpstr (rl_call_get_remote_number (back), ==, caller);
  g_assert_true (rl_test_wait (rl_test_phone_talks, rl_core_get_phone (core), 20));
  wait_slot (core, "700", NULL, NULL);

  /* The PBX style without the backend: a blind transfer to the slot. */
  g_settings_set_string (settings, "park-style", "transfer");
  run_verb (core, "park", g_variant_new ("(ss)", rl_call_get_id (back), "701"), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (parked, ==, 2);
  wait_slot (core, "701", caller, NULL);
  g_clear_object (&back);
  /* Resting refuses calls, not the one the agent brings back. */
  set_status (core, "rest", "break");
  back = retrieve (core, "701");
  g_assert_true (rl_test_wait (rl_test_phone_talks, rl_core_get_phone (core), 20));
  g_assert_true (rl_phone_get_refuse_inbound (rl_core_get_phone (core)));
  rl_phone_hangup (rl_core_get_phone (core), back, NULL);
  wait_slot (core, "701", NULL, NULL);

  set_status (core, "idle", "");
  g_settings_reset (settings, "park-style");
  g_settings_reset (settings, "park-poll-interval");
  rl_park_slots_release (park);
  g_assert_false (rl_park_slots_get_polling (park));
  g_signal_handlers_disconnect_by_data (park, &parked);
  g_signal_handlers_disconnect_by_data (park, &failed);
  sign_out_and_stop (core);
}

static void
on_signed_out_reason (RlSession *session, const char *reason, char **out)
{
  g_free (*out);
  *out = g_strdup (reason);
}

static gboolean
has_text (gpointer out)
{
  return *(char **) out != NULL;
}

/* A call the platform ends with its "login has expired" (813): the call is
 * recorded like any other, and the agent is signed out to sign in again
 * (the window then opens its sign-in). */
static void
test_login_expired (void)
{
  g_autoptr (RlCore) core = signed_in_core (2);
  RlPhone *phone = rl_core_get_phone (core);
  g_autofree char *reason = NULL;
  g_autofree char *server = NULL;
  g_autoptr (GSubprocess) sipp = NULL;
  g_autoptr (RlAccount) account = NULL;
  g_autoptr (GVariant) settings = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (RlCall) call = NULL;
  guint port = 0;

  sipp = rl_test_start_sipp ("uas-answer-bye.xml", NULL, &port);
  server = g_strdup_printf ("127.0.0.1:%u", port);
  settings = g_variant_ref_sink (g_variant_new_parsed (
    "{'servers': <[%s]>, 'username': <'1001'>, 'register': <false>}", server));
  account = rl_account_new_from_variant (settings, &error);
  g_assert_no_error (error);
  rl_phone_set_account (phone, account);
  rl_test_sleep (200);
  g_signal_connect (rl_core_get_session (core), "signed-out", G_CALLBACK (on_signed_out_reason),
                    &reason);
  call = g_object_ref (rl_phone_dial (phone, "bye", NULL, &error));
  g_assert_no_error (error);
  g_assert_true (rl_test_wait (has_text, &reason, 20));
  g_assert_cmpstr (reason, ==, RL_SIGNED_OUT_LOGIN_EXPIRED);
  g_assert_cmpuint (rl_call_get_platform_code (call), ==, 813);
  g_assert_false (rl_session_get_signed_in (rl_core_get_session (core)));
  rl_test_assert_sipp_passed (sipp);
  rl_core_shutdown (core);
}

int
main (int argc, char **argv)
{
  int status;

  rl_test_setup_env ();
  g_test_init (&argc, &argv, NULL);
  lab = rl_test_lab_start ();
  g_test_add_func ("/agent/status", test_agent_status);
  g_test_add_func ("/agent/status-more", test_agent_status_more);
  g_test_add_func ("/agent/recording", test_recording);
  g_test_add_func ("/agent/park", test_park);
  g_test_add_func ("/agent/login-expired", test_login_expired);
  status = g_test_run ();
  rl_test_lab_stop (lab);
  return status;
}
