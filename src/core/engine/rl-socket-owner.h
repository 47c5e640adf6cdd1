/* rl-socket-owner.h: who holds the far end of a loopback TCP connection.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  RL_SOCKET_OWNER_PROVEN,  /* the far end is one of the process's own sockets */
  RL_SOCKET_OWNER_PENDING, /* not accepted yet: ask again shortly */
  RL_SOCKET_OWNER_FOREIGN, /* another process, or another user, holds it */
} RlSocketOwner;

gboolean rl_socket_owner_find_inode (const char *proc_net_tcp, guint16 local_port,
                                     guint16 remote_port, guint *uid, guint64 *inode);
RlSocketOwner rl_socket_owner_check (GPid pid, guint16 server_port, guint16 client_port);

G_END_DECLS
