/* rl-service-host.h: what both faces of Ringline (the window and
 * --headless) do alike: own the core, offer it on the bus, take the common
 * command line, start and stop the phone with the application.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "rl-core.h"

G_BEGIN_DECLS

#define RL_TYPE_SERVICE_HOST (rl_service_host_get_type ())
G_DECLARE_FINAL_TYPE (RlServiceHost, rl_service_host, RL, SERVICE_HOST, GObject)

RlServiceHost *rl_service_host_new (GApplication *app);
RlCore *rl_service_host_get_core (RlServiceHost *self);
void rl_service_host_startup (RlServiceHost *self);
void rl_service_host_shutdown (RlServiceHost *self);
gboolean rl_service_host_dbus_register (RlServiceHost *self, GDBusConnection *connection,
                                        const char *object_path, GError **error);
void rl_service_host_dbus_unregister (RlServiceHost *self);
void rl_service_host_dial_links (RlServiceHost *self, GFile **files, int n_files);

G_END_DECLS
