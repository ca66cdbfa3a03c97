package dev.cachet.internal.twolevel;

import dev.cachet.spi.Backplane;
import dev.cachet.spi.Invalidation;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * A channel whose deliveries the test decides: every published message waits in each
 * member's inbox until the test delivers it or drops it (the lost message a network can cause).
 */
final class ManualHub {
    final List<Member> members = new ArrayList<>();

    synchronized Member join() {
        Member m = new Member();
        members.add(m);
        return m;
    }

    final class Member implements Backplane {
        private final Deque<Invalidation> inbox = new ArrayDeque<>();
        private Listener listener;

        @Override
        public void publish(Invalidation message) {
            synchronized (ManualHub.this) {
                for (Member m : members) {
                    m.inbox.add(message);
                }
            }
        }

        @Override
        public void subscribe(Listener l) {
            listener = l;
            l.onReset("subscribed");
        }

        /** Delivers every waiting message; returns how many. */
        int deliver() {
            List<Invalidation> out;
            synchronized (ManualHub.this) {
                out = new ArrayList<>(inbox);
                inbox.clear();
            }
            out.forEach(listener::onMessage);
            return out.size();
        }

        /** Drops every waiting message of {@code kind}; returns how many. */
        int drop(Invalidation.Kind kind) {
            synchronized (ManualHub.this) {
                int before = inbox.size();
                inbox.removeIf(m -> m.kind() == kind);
                return before - inbox.size();
            }
        }

        Listener listener() {
            return listener;
        }

        @Override
        public String describe() {
            return "manual hub";
        }

        @Override
        public void close() {
            synchronized (ManualHub.this) {
                members.remove(this);
            }
        }
    }
}
