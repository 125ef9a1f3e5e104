package io.imsdk.test;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP relay on the loopback between clients and the server under test that can stop
 * reading what the clients send, as a server that no longer keeps up does: the client's
 * writes then fill the socket buffers and its outbound bytes grow. The other direction
 * keeps flowing. Knows nothing of WebSocket.
 */
final class StallingRelay implements Closeable {
    private final ServerSocket listener;
    private final InetSocketAddress target;
    private final String path;
    private final Object gate = new Object();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    private boolean stalled;
    private volatile boolean closed;
    private final Thread acceptor;

    /** Relays to the server of {@code url} (ws://host:port/path). */
    StallingRelay(String url) throws IOException {
        URI uri = URI.create(url);
        target = new InetSocketAddress(uri.getHost(), uri.getPort());
        path = uri.getRawPath();
        listener = new ServerSocket();
        // Small buffers on the relay's side, so the client's writes back up sooner.
        listener.setReceiveBufferSize(4096);
        listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        acceptor = daemon("relay-accept", this::acceptLoop);
    }

    /** The URL clients use to reach the server through the relay. */
    String url() {
        return "ws://127.0.0.1:" + listener.getLocalPort() + path;
    }

    /** Stops (true) or resumes (false) reading from the clients. */
    void stall(boolean on) {
        synchronized (gate) {
            stalled = on;
            gate.notifyAll();
        }
    }

    /** Closes every socket and waits for the relay's threads to end. */
    @Override
    public void close() {
        closed = true;
        stall(false);
        try {
            listener.close();
            // No socket or thread is added once the acceptor has ended.
            acceptor.join(Check.WAIT_MS);
        } catch (IOException ignored) {
            // Closing anyway.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        for (Socket s : sockets) {
            try {
                s.close();
            } catch (IOException ignored) {
                // Closing anyway.
            }
        }
        for (Thread t : threads) {
            try {
                t.join(Check.WAIT_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket();
                server.connect(target);
                sockets.add(client);
                sockets.add(server);
                daemon("relay-up", () -> pump(client, server, true));
                daemon("relay-down", () -> pump(server, client, false));
            } catch (IOException e) {
                return; // The listener was closed.
            }
        }
    }

    private void pump(Socket from, Socket to, boolean upstream) {
        byte[] buffer = new byte[4096];
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            while (true) {
                if (upstream) {
                    awaitNotStalled();
                }
                int n = in.read(buffer);
                if (n < 0) {
                    break;
                }
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException | InterruptedException e) {
            // A side closed: end both.
        }
        try {
            from.close();
            to.close();
        } catch (IOException ignored) {
            // Closing anyway.
        }
    }

    private void awaitNotStalled() throws InterruptedException {
        synchronized (gate) {
            while (stalled && !closed) {
                gate.wait();
            }
        }
    }

    private Thread daemon(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        threads.add(t);
        t.start();
        return t;
    }
}
