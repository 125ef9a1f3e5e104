package io.imsdk;

/** A call was refused: {@link #getCode()} is the imsdk code ({@code Im.ERR_*}). */
public final class ImException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int code;

    ImException(int code, String detail) {
        super(Im.describe(code) + " (" + code + ")"
                + (detail == null || detail.isEmpty() ? "" : ": " + detail));
        this.code = code;
    }

    /** The imsdk code, e.g. {@link Im#ERR_NO_LOGIN}. */
    public int getCode() { return code; }
}
