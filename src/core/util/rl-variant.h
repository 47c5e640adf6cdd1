/* rl-variant.h: small GVariant helpers shared by the layers.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

GVariant *rl_variant_dict_merge (GVariant *base, GVariant *more);

G_END_DECLS
