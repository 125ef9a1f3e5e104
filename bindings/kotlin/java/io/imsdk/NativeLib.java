package io.imsdk;

/**
 * The native methods of libimsdk_jni (registered by its JNI_OnLoad). Each returns an imsdk
 * code ({@link Im#OK} or an error); {@link #lastError()} then gives the calling thread's
 * message. Internal: use {@link ImClient}.
 */
final class NativeLib {
    private NativeLib() {}

    static {
        // -Dimsdk.jni.library=/path/libimsdk_jni.so loads a given file (tests, desktop apps);
        // otherwise the platform's library path (the APK's lib/<abi>/ on Android).
        String path = System.getProperty("imsdk.jni.library");
        if (path != null && !path.isEmpty()) {
            System.load(path);
        } else {
            System.loadLibrary("imsdk_jni");
        }
    }

    /** Makes sure the library is loaded (class initialisation runs the static block). */
    static void load() {}

    static native String version();

    static native int abiVersion();

    static native String strerror(int code);

    static native String lastError();

    static native int init(String url, String subprotocol, int dialect, boolean autoRelogin,
            long[] numbers, String tlsExtraCaPem, String[] tlsPins, NativeBridge bridge,
            long[] handleOut);

    static native int login(long handle, String userId, String token, String app, String extra);

    static native int send(long handle, String to, byte[] content, boolean qos, int typeu,
            String fp, String[] fpOut);

    static native int logout(long handle);

    static native int release(long handle);

    static native int networkChanged(long handle, boolean available);

    static native int echo(long handle, String text);

    static native int state(long handle, int[] stateOut);

    static native int stats(long handle, long[] valuesOut);

    /** Throws {@link ImException} for an error code. */
    static void check(int code) {
        if (code != Im.OK) {
            throw new ImException(code, lastError());
        }
    }
}
