/* rl-sign-in-window.h: signing in to the call center's backend.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "rl-core.h"

#include <adwaita.h>

G_BEGIN_DECLS

#define RL_TYPE_SIGN_IN_WINDOW (rl_sign_in_window_get_type ())
G_DECLARE_FINAL_TYPE (RlSignInWindow, rl_sign_in_window, RL, SIGN_IN_WINDOW, AdwWindow)

RlSignInWindow *rl_sign_in_window_new (GtkWindow *parent, RlCore *core);

G_END_DECLS
