package cn.haizhu.grid.data.dispatch;

/** A reason picked from a fixed list (退单原因, 延期原因), so that reports can count them. */
public interface CodedReason {
    /** The code stored and sent over the API. */
    String code();

    /** The Chinese label. */
    String zh();

    /** The English label. */
    String en();
}
