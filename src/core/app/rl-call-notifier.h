/* rl-call-notifier.h: desktop notifications for calls: a ringing call with
 * Answer and Decline, a missed one with Call back. The window need not be
 * shown, nor exist (--headless).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "rl-core.h"

G_BEGIN_DECLS

#define RL_TYPE_CALL_NOTIFIER (rl_call_notifier_get_type ())
G_DECLARE_FINAL_TYPE (RlCallNotifier, rl_call_notifier, RL, CALL_NOTIFIER, GObject)

RlCallNotifier *rl_call_notifier_new (GApplication *app, RlCore *core);

G_END_DECLS
