/* rl-screen-pop.h: a web CRM's page for the caller, opened in the browser
 * when a call rings or is answered (the screen-pop-url setting).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "rl-core.h"

G_BEGIN_DECLS

#define RL_TYPE_SCREEN_POP (rl_screen_pop_get_type ())
G_DECLARE_FINAL_TYPE (RlScreenPop, rl_screen_pop, RL, SCREEN_POP, GObject)

RlScreenPop *rl_screen_pop_new (RlCore *core);
char *rl_screen_pop_expand (const char *template, RlCall *call, GError **error);

G_END_DECLS
