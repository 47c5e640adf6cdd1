/* rl-test-phone.h: an engine and a phone against the lab, for tests that
 * drive the core in process.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "rl-phone.h"
#include "rl-test-lab.h"

G_BEGIN_DECLS

typedef struct
{
  RlEngine *engine;
  RlPhone *phone;
  GPtrArray *states; /* "callid:state" in the order they were entered */
  RlCall *last;
} RlTestPhone;

/* The lab every fixture signs in to; the test's main() starts it. */
extern RlTestLab *rl_test_phone_lab;

void rl_test_phone_setup (RlTestPhone *f, gconstpointer data);
void rl_test_phone_teardown (RlTestPhone *f, gconstpointer data);
gboolean rl_test_phone_registered (gpointer fixture);
gboolean rl_test_phone_has_ringing_call (gpointer fixture);
void rl_test_phone_sign_in (RlTestPhone *f, guint agent);
gboolean rl_test_phone_has_state (RlTestPhone *f, RlCall *call, const char *state);
void rl_test_phone_wait_state (RlTestPhone *f, RlCall *call, const char *state);
void rl_test_phone_hang_up (RlTestPhone *f, RlCall *call);
RlCall *rl_test_phone_dial_echo (RlTestPhone *f, guint agent);
GSubprocess *rl_test_phone_start_sipp_peer (RlTestPhone *f, const char *scenario,
                                            const char *const *extra_args);
void rl_test_phone_assert_sipp_passed (GSubprocess *sipp);

G_END_DECLS
