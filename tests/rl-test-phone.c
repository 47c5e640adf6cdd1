/* rl-test-phone.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "rl-test-phone.h"

RlTestLab *rl_test_phone_lab;

static void
on_state (RlPhone *phone, RlCall *call, RlTestPhone *f)
{
  g_ptr_array_add (f->states, g_strdup_printf ("%s:%s", rl_call_get_id (call),
                                               rl_call_state_to_string (rl_call_get_state (call))));
  g_set_object (&f->last, call);
}

gboolean
rl_test_engine_is_running (gpointer engine)
{
  return rl_engine_get_state (engine) == RL_ENGINE_STATE_RUNNING;
}

gboolean
rl_test_phone_is_registered (gpointer phone)
{
  return rl_phone_get_registration_state (phone) == RL_REGISTRATION_REGISTERED;
}

static gboolean
current_call_in (RlPhone *phone, RlCallState state)
{
  RlCall *call = rl_phone_get_current_call (phone);

  return call && rl_call_get_state (call) == state;
}

/* The phone's current call is an inbound one ringing. */
gboolean
rl_test_phone_rings (gpointer phone)
{
  return current_call_in (phone, RL_CALL_STATE_RINGING);
}

/* The phone's current call is answered and not held. */
gboolean
rl_test_phone_talks (gpointer phone)
{
  return current_call_in (phone, RL_CALL_STATE_ACCEPTED);
}

gboolean
rl_test_call_is_muted (gpointer call)
{
  return rl_call_get_muted (call);
}

gboolean
rl_test_call_is_unmuted (gpointer call)
{
  return !rl_call_get_muted (call);
}

gboolean
rl_test_call_has_ended (gpointer call)
{
  return rl_call_get_state (call) == RL_CALL_STATE_TERMINATED;
}

typedef struct
{
  RlPhone *phone;
  guint n;
} CallCount;

static gboolean
has_n_calls (gpointer data)
{
  CallCount *c = data;

  return g_list_model_get_n_items (rl_phone_get_calls (c->phone)) == c->n;
}

void
rl_test_phone_wait_n_calls (RlPhone *phone, guint n)
{
  CallCount c = { phone, n };

  g_assert_true (rl_test_wait (has_n_calls, &c, 10));
}

void
rl_test_phone_setup (RlTestPhone *f, gconstpointer data)
{
  f->engine = rl_baresip_new ();
  /* The lab is on loopback, as RlCore does for a loopback account: a modern
   * baresip otherwise takes its address from the default interface. */
  rl_baresip_set_listen_address (f->engine, "127.0.0.1");
  f->phone = rl_phone_new (RL_ENGINE (f->engine));
  f->states = g_ptr_array_new_with_free_func (g_free);
  g_signal_connect (f->phone, "call-state-changed", G_CALLBACK (on_state), f);
  rl_baresip_start (f->engine);
  g_assert_true (rl_test_wait (rl_test_engine_is_running, f->engine, 10));
}

void
rl_test_phone_teardown (RlTestPhone *f, gconstpointer data)
{
  g_clear_object (&f->last);
  g_clear_object (&f->phone);
  rl_baresip_stop (f->engine);
  g_clear_object (&f->engine);
  g_ptr_array_unref (f->states);
}

void
rl_test_phone_sign_in (RlTestPhone *f, guint agent)
{
  g_autoptr (RlAccount) account = rl_test_lab_account (rl_test_phone_lab, agent, NULL);

  rl_phone_set_account (f->phone, account);
  g_assert_true (rl_test_wait (rl_test_phone_is_registered, f->phone, 10));
}

gboolean
rl_test_phone_has_state (RlTestPhone *f, RlCall *call, const char *state)
{
  g_autofree char *want = g_strdup_printf ("%s:%s", rl_call_get_id (call), state);

  for (guint i = 0; i < f->states->len; i++)
    if (g_str_equal (g_ptr_array_index (f->states, i), want))
      return TRUE;
  return FALSE;
}

typedef struct
{
  RlTestPhone *f;
  RlCall *call;
  const char *state;
} StateWait;

static gboolean
reached (gpointer data)
{
  StateWait *w = data;

  return rl_test_phone_has_state (w->f, w->call, w->state);
}

void
rl_test_phone_wait_state (RlTestPhone *f, RlCall *call, const char *state)
{
  StateWait w = { f, call, state };

  if (!rl_test_wait (reached, &w, 15))
    g_error ("call %s never reached %s (now %s)", rl_call_get_id (call), state,
             rl_call_state_to_string (rl_call_get_state (call)));
}

/* Hangs up, waits for the end, and drops the test's reference. */
void
rl_test_phone_hang_up (RlTestPhone *f, RlCall *call)
{
  rl_phone_hangup (f->phone, call, NULL);
  rl_test_phone_wait_state (f, call, "terminated");
  g_object_unref (call);
}

/* Dials @target and waits until it answers. Returns: (transfer full) */
RlCall *
rl_test_phone_dial_answered (RlTestPhone *f, const char *target)
{
  g_autoptr (GError) error = NULL;
  RlCall *call = rl_phone_dial (f->phone, target, NULL, &error);

  g_assert_no_error (error);
  g_object_ref (call);
  rl_test_phone_wait_state (f, call, "accepted");
  return call;
}

/* Dials the echo bot as agent @agent and waits until it answers. */
RlCall *
rl_test_phone_dial_echo (RlTestPhone *f, guint agent)
{
  rl_test_phone_sign_in (f, agent);
  return rl_test_phone_dial_answered (f, rl_test_lab_extension (rl_test_phone_lab, "echo"));
}

/* Starts sipp with tests/lab/scenarios/@scenario_name (or that absolute path) for one call and
 * points the phone straight at it (no registrar). sipp exits 0 only if every check of the scenario
 * held. @extra_args go to sipp (e.g. "-key" "name" "value"). */
GSubprocess *
rl_test_phone_start_sipp_peer (RlTestPhone *f, const char *scenario_name,
                               const char *const *extra_args)
{
  guint port = 0;
  GSubprocess *sipp = rl_test_start_sipp (scenario_name, extra_args, &port);
  g_autofree char *server = g_strdup_printf ("127.0.0.1:%u", port);
  g_autoptr (GError) error = NULL;
  g_autoptr (GVariant) settings = NULL;
  g_autoptr (RlAccount) account = NULL;

  settings = g_variant_ref_sink (
    g_variant_new_parsed ("{'servers': <[%s]>, 'username': <'1001'>, 'password': <'lab-secret'>,"
                          " 'display_name': <'Test Agent'>, 'register': <false>}",
                          server));
  account = rl_account_new_from_variant (settings, &error);
  g_assert_no_error (error);
  rl_phone_set_account (f->phone, account);
  rl_test_sleep (200);
  return sipp;
}

void
rl_test_phone_assert_sipp_passed (GSubprocess *sipp)
{
  rl_test_assert_sipp_passed (sipp);
}
