/* rl-socket-owner.c
 *
 * baresip's ctrl_tcp listens on a loopback port that any local user can
 * bind first. Before Ringline sends it a password it proves that the socket
 * at the other end of its connection is held by its own baresip child: the
 * kernel's socket table (/proc/self/net/tcp) names the inode and the uid of
 * the connection's accepted end, and the child's /proc/PID/fd links name
 * the sockets it holds. Blocking reads of /proc: for a worker thread.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "RlSocketOwner"

#include "rl-socket-owner.h"

#include <gio/gio.h>
#include <unistd.h>

#define STATE_ESTABLISHED 0x01

/* "0100007F:1F90" → port; the address must be 127.0.0.1, which the kernel
 * prints as the native integer of its network-order bytes. */
static gboolean
parse_endpoint (const char *text, guint16 *port)
{
  char *end = NULL;
  guint64 address, value;

  address = g_ascii_strtoull (text, &end, 16);
  if (end != text + 8 || *end != ':' || address != GUINT32_TO_BE (0x7F000001))
    return FALSE;
  text = end + 1;
  value = g_ascii_strtoull (text, &end, 16);
  if (end == text || *end != '\0' || value > G_MAXUINT16)
    return FALSE;
  *port = (guint16) value;
  return TRUE;
}

/* One row: "sl local rem st queues timer retrnsmt uid timeout inode …". */
static gboolean
row_matches (char **fields, guint16 local_port, guint16 remote_port, guint *uid, guint64 *inode)
{
  guint16 local = 0, remote = 0;

  if (g_strv_length (fields) < 10 || !parse_endpoint (fields[1], &local)
      || !parse_endpoint (fields[2], &remote) || local != local_port || remote != remote_port
      || g_ascii_strtoull (fields[3], NULL, 16) != STATE_ESTABLISHED)
    return FALSE;
  *uid = (guint) g_ascii_strtoull (fields[7], NULL, 10);
  *inode = g_ascii_strtoull (fields[9], NULL, 10);
  return TRUE;
}

/**
 * rl_socket_owner_find_inode:
 * @proc_net_tcp: the text of /proc/net/tcp
 *
 * Finds the established connection from 127.0.0.1:@local_port to
 * 127.0.0.1:@remote_port. Its inode is 0 until a process accepts it.
 */
gboolean
rl_socket_owner_find_inode (const char *proc_net_tcp, guint16 local_port, guint16 remote_port,
                            guint *uid, guint64 *inode)
{
  g_auto (GStrv) lines = g_strsplit (proc_net_tcp, "\n", -1);

  for (guint i = 1; lines[i]; i++)
    {
      g_auto (GStrv) fields = g_strsplit_set (g_strstrip (lines[i]), " ", -1);
      g_autoptr (GPtrArray) words = g_ptr_array_new ();

      for (guint j = 0; fields[j]; j++)
        if (*fields[j])
          g_ptr_array_add (words, fields[j]);
      g_ptr_array_add (words, NULL);
      if (row_matches ((char **) words->pdata, local_port, remote_port, uid, inode))
        return TRUE;
    }
  return FALSE;
}

static gboolean
holds_inode (GPid pid, guint64 inode)
{
  g_autofree char *fd_dir = g_strdup_printf ("/proc/%d/fd", (int) pid);
  g_autofree char *wanted = g_strdup_printf ("socket:[%" G_GUINT64_FORMAT "]", inode);
  g_autoptr (GDir) dir = g_dir_open (fd_dir, 0, NULL);
  const char *name;

  if (dir == NULL)
    return FALSE;
  while ((name = g_dir_read_name (dir)))
    {
      g_autofree char *link_path = g_build_filename (fd_dir, name, NULL);
      g_autofree char *target = g_file_read_link (link_path, NULL);

      if (g_strcmp0 (target, wanted) == 0)
        return TRUE;
    }
  return FALSE;
}

/**
 * rl_socket_owner_check:
 * @pid: the process that should be listening on @server_port
 * @client_port: the local port of our connection to it
 *
 * Whether the accepted end of our connection 127.0.0.1:@client_port →
 * 127.0.0.1:@server_port is a socket of @pid, owned by our uid.
 */
RlSocketOwner
rl_socket_owner_check (GPid pid, guint16 server_port, guint16 client_port)
{
  g_autofree char *table = NULL;
  guint uid = 0;
  guint64 inode = 0;

  if (!g_file_get_contents ("/proc/self/net/tcp", &table, NULL, NULL))
    return RL_SOCKET_OWNER_FOREIGN;
  if (!rl_socket_owner_find_inode (table, server_port, client_port, &uid, &inode))
    return RL_SOCKET_OWNER_FOREIGN;
  if (inode == 0)
    return RL_SOCKET_OWNER_PENDING;
  if (uid != getuid ())
    return RL_SOCKET_OWNER_FOREIGN;
  return holds_inode (pid, inode) ? RL_SOCKET_OWNER_PROVEN : RL_SOCKET_OWNER_FOREIGN;
}
