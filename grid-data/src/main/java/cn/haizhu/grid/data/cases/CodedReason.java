package cn.haizhu.grid.data.cases;

import cn.haizhu.grid.data.codes.Labelled;

/** A reason picked from a fixed list (退单原因, 延期原因), so that reports can count them. */
public interface CodedReason extends Labelled {
}
