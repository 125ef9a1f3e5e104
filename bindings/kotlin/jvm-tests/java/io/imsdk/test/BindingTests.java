package io.imsdk.test;

import io.imsdk.Im;
import io.imsdk.ImClient;

/**
 * The JVM tests of the binding, against a dev server: {@code BindingTests URL DIALECT}
 * (DIALECT: seed or mobileimsdk). Prints one line per test and "N passed, N failed";
 * exits 1 on any failure. Run with -Xcheck:jni (the Rust harness does, and fails on its
 * warnings).
 */
public final class BindingTests {
    private static int passed;
    private static int failed;

    public static void main(String[] args) {
        if (args.length != 2) {
            System.err.println("usage: BindingTests URL seed|mobileimsdk");
            System.exit(2);
        }
        Fixture.url = args[0];
        Fixture.dialect = args[1].equals("mobileimsdk") ? Im.DIALECT_MOBILEIMSDK : Im.DIALECT_SEED;

        run("the library loads and reports its version", MessagingTests::version);
        run("bad options and arguments are ImExceptions with the code and a message", LifecycleTests::badInput);
        run("two clients exchange QoS messages both ways", MessagingTests::exchange);
        run("emoji and NUL bytes arrive byte for byte", MessagingTests::trickyContent);
        run("echo, state and stats", MessagingTests::echoStateStats);
        run("every login reports its states; network down closes the link", MessagingTests::statesAndNetwork);
        run("a QoS message pending at logout is reported lost with its content", MessagingTests::lostAtLogout);
        run("a second login of the same user kicks the first (seed: close 4001, R29)", MessagingTests::kicked);
        if (Fixture.dialect == Im.DIALECT_SEED) {
            run("seed: a group that does not exist is a server error", MessagingTests::noSuchGroup);
        }
        run("the backlog and outbound options are range-checked; stats start at 0", BackPressureTests::optionRanges);
        run("r61: a listener that does not return stops reading at maxCallbackBacklog(Bytes)",
                BackPressureTests::r61CallbackBacklogCaps);
        run("r62: sends without QoS and echoes are refused at maxOutboundBytes", BackPressureTests::r62OutboundCap);
        run("ids over MAX_ID_BYTES bytes are refused", BackPressureTests::idCap);
        run("a listener that throws: later events are still delivered", LifecycleTests::throwingListener);
        run("close from inside a callback, then twice", LifecycleTests::closeInsideCallback);
        run("close is a barrier: onRelease ran exactly once when it returns", LifecycleTests::closeBarrier);
        run("10k messages: no local-reference, thread or listener leak", LifecycleTests::tenThousand);

        for (ImClient c : Fixture.open) {
            c.close();
        }
        System.out.println(passed + " passed, " + failed + " failed");
        System.exit(failed == 0 ? 0 : 1);
    }

    private static void run(String name, Check.Body body) {
        long start = System.nanoTime();
        try {
            body.run();
            passed++;
            System.out.println("ok - " + name + " (" + (System.nanoTime() - start) / 1_000_000 + " ms)");
        } catch (Throwable t) {
            failed++;
            System.out.println("FAIL - " + name + ": " + t);
            t.printStackTrace(System.out);
        }
    }
}
