/* rl-test-pulse.h: a private PulseAudio server with null devices, for tests
 * that choose and switch audio devices on a machine with no sound card.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct _RlTestPulse RlTestPulse;

RlTestPulse *rl_test_pulse_start (const char *const *modules);
char *rl_test_pulse_server_in (const char *dir);
RlTestPulse *rl_test_pulse_start_in (const char *dir, const char *const *modules);
void rl_test_pulse_stop (RlTestPulse *pulse);
char *rl_test_pulse_pactl (RlTestPulse *pulse, const char *args);
char *rl_test_pulse_stream_device (RlTestPulse *pulse, const char *kind, guint pid);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RlTestPulse, rl_test_pulse_stop)

G_END_DECLS
