/* rl-test-phone.h: an engine and a phone against the lab, for tests that
 * drive the core in process.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "rl-baresip.h"
#include "rl-phone.h"
#include "rl-test-lab.h"

G_BEGIN_DECLS

typedef struct
{
  RlBaresip *engine;
  RlPhone *phone;
  GPtrArray *states; /* "callid:state" in the order they were entered */
  RlCall *last;
} RlTestPhone;

/* The lab every fixture signs in to; the test's main() starts it. */
extern RlTestLab *rl_test_phone_lab;

void rl_test_phone_setup (RlTestPhone *f, gconstpointer data);
void rl_test_phone_teardown (RlTestPhone *f, gconstpointer data);

/* Predicates for rl_test_wait(): on an RlEngine, an RlPhone or an RlCall. */
gboolean rl_test_engine_is_running (gpointer engine);
gboolean rl_test_phone_is_registered (gpointer phone);
gboolean rl_test_phone_rings (gpointer phone);
gboolean rl_test_phone_talks (gpointer phone);
gboolean rl_test_call_is_muted (gpointer call);
gboolean rl_test_call_is_unmuted (gpointer call);
gboolean rl_test_call_has_ended (gpointer call);
void rl_test_phone_wait_n_calls (RlPhone *phone, guint n);

void rl_test_phone_sign_in (RlTestPhone *f, guint agent);
gboolean rl_test_phone_has_state (RlTestPhone *f, RlCall *call, const char *state);
void rl_test_phone_wait_state (RlTestPhone *f, RlCall *call, const char *state);
void rl_test_phone_hang_up (RlTestPhone *f, RlCall *call);
RlCall *rl_test_phone_dial_answered (RlTestPhone *f, const char *target);
RlCall *rl_test_phone_dial_echo (RlTestPhone *f, guint agent);
GSubprocess *rl_test_phone_start_sipp_peer (RlTestPhone *f, const char *scenario,
                                            const char *const *extra_args);
void rl_test_phone_assert_sipp_passed (GSubprocess *sipp);

G_END_DECLS
