package dev.weft.plugins.standard;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A tiny SMTP server for tests (RFC 5321's plain dialogue, with AUTH PLAIN and LOGIN accepting anyone): it keeps
 * each message's envelope and data, and can refuse recipients.
 */
final class SmtpTestServer implements AutoCloseable {
    /** A message as received: the envelope, the login as user:password if any, and the data with CRLF line ends. */
    record Mail(String from, List<String> to, String auth, String data) {
    }

    private final ServerSocket socket;
    private final Thread thread;
    private final List<Mail> mails = new CopyOnWriteArrayList<>();
    private final List<String> transcript = new CopyOnWriteArrayList<>();
    private volatile String refusedRecipient;

    SmtpTestServer() {
        try {
            socket = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        thread = Thread.ofPlatform().daemon(true).start(this::serve);
    }

    int port() {
        return socket.getLocalPort();
    }

    List<Mail> mails() {
        return List.copyOf(mails);
    }

    /** The client's lines, in order, over all connections. */
    List<String> transcript() {
        return List.copyOf(transcript);
    }

    void refuse(String recipient) {
        refusedRecipient = recipient;
    }

    private void serve() {
        while (!socket.isClosed()) {
            try (Socket client = socket.accept()) {
                dialogue(client);
            } catch (IOException e) {
                // closed, or the client hung up: wait for the next one
            }
        }
    }

    private void dialogue(Socket client) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.UTF_8));
        OutputStream out = client.getOutputStream();
        reply(out, "220 localhost test SMTP");
        String from = null;
        List<String> to = new ArrayList<>();
        String auth = null;
        String line;
        while ((line = in.readLine()) != null) {
            transcript.add(line);
            String command = line.toUpperCase(java.util.Locale.ROOT);
            if (command.startsWith("EHLO")) {
                reply(out, "250-localhost\r\n250-AUTH PLAIN LOGIN\r\n250 8BITMIME");
            } else if (command.startsWith("HELO")) {
                reply(out, "250 localhost");
            } else if (command.startsWith("AUTH PLAIN")) {
                String initial = line.length() > "AUTH PLAIN ".length() ? line.substring("AUTH PLAIN ".length()) : null;
                if (initial == null) {
                    reply(out, "334 ");
                    initial = in.readLine();
                }
                String[] parts = decode(initial).split("\u0000");
                auth = parts[1] + ":" + parts[2];
                reply(out, "235 2.7.0 accepted");
            } else if (command.startsWith("AUTH LOGIN")) {
                reply(out, "334 VXNlcm5hbWU6");
                String user = decode(in.readLine());
                reply(out, "334 UGFzc3dvcmQ6");
                auth = user + ":" + decode(in.readLine());
                reply(out, "235 2.7.0 accepted");
            } else if (command.startsWith("MAIL FROM:")) {
                from = line.substring(10).strip();
                to = new ArrayList<>();
                reply(out, "250 2.1.0 ok");
            } else if (command.startsWith("RCPT TO:")) {
                String recipient = line.substring(8).strip();
                if (refusedRecipient != null && recipient.contains(refusedRecipient)) {
                    reply(out, "550 5.1.1 no such user here");
                } else {
                    to.add(recipient);
                    reply(out, "250 2.1.5 ok");
                }
            } else if (command.equals("DATA")) {
                reply(out, "354 end with <CRLF>.<CRLF>");
                StringBuilder data = new StringBuilder();
                String dataLine;
                while ((dataLine = in.readLine()) != null && !dataLine.equals(".")) {
                    data.append(dataLine.startsWith("..") ? dataLine.substring(1) : dataLine).append("\r\n");
                }
                mails.add(new Mail(from, List.copyOf(to), auth, data.toString()));
                reply(out, "250 2.0.0 queued");
            } else if (command.equals("QUIT")) {
                reply(out, "221 2.0.0 bye");
                return;
            } else if (command.equals("RSET") || command.equals("NOOP")) {
                reply(out, "250 ok");
            } else {
                reply(out, "502 5.5.2 not implemented");
            }
        }
    }

    private static String decode(String base64) {
        return new String(java.util.Base64.getDecoder().decode(base64.strip()), StandardCharsets.UTF_8);
    }

    private static void reply(OutputStream out, String text) throws IOException {
        out.write((text + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    @Override
    public void close() throws IOException {
        socket.close();
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
