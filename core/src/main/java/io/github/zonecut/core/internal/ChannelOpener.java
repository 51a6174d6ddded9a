package io.github.zonecut.core.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SocketChannel;

/**
 * Opens the channels of a transport. The seam lets tests make opening fail synchronously (as
 * EMFILE or an unroutable target does) without exhausting the process's descriptors.
 */
public interface ChannelOpener {
  /** The operating system's channels. */
  ChannelOpener SYSTEM = new ChannelOpener() {
    @Override
    public SocketChannel tcp(InetSocketAddress peer) throws IOException {
      return SocketChannel.open();
    }

    @Override
    public DatagramChannel udp(InetSocketAddress peer) throws IOException {
      return DatagramChannel.open();
    }
  };

  /** An unconnected TCP channel that will connect to {@code peer}. */
  SocketChannel tcp(InetSocketAddress peer) throws IOException;

  /** An unbound UDP channel that will be connected to {@code peer}. */
  DatagramChannel udp(InetSocketAddress peer) throws IOException;
}
