/* rl-test-engine.h: a scripted call engine for the phone's unit tests. No
 * baresip runs: the test says what the engine reports (events written as
 * baresip's ctrl_tcp writes them) and how it answers each command, and reads
 * back what the phone sent.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "rl-engine.h"

G_BEGIN_DECLS

#define RL_TYPE_TEST_ENGINE (rl_test_engine_get_type ())
G_DECLARE_FINAL_TYPE (RlTestEngine, rl_test_engine, RL, TEST_ENGINE, GObject)

RlTestEngine *rl_test_engine_new (void);
void rl_test_engine_start (RlTestEngine *self);
void rl_test_engine_set_features (RlTestEngine *self, RlEngineFeatures features);
void rl_test_engine_lose (RlTestEngine *self, const char *why);
void rl_test_engine_event (RlTestEngine *self, const char *json);
void rl_test_engine_set_reply (RlTestEngine *self, const char *command, const char *reply);
void rl_test_engine_set_failure (RlTestEngine *self, const char *command, const char *message);
void rl_test_engine_hold_replies (RlTestEngine *self);
void rl_test_engine_release_replies (RlTestEngine *self);
char *rl_test_engine_take (RlTestEngine *self);
char *rl_test_engine_take_timed (RlTestEngine *self, gint64 *sent_at);
guint rl_test_engine_n_pending (RlTestEngine *self);
void rl_test_engine_forget (RlTestEngine *self);

G_END_DECLS
