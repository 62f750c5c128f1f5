/**
 * Photos from the field (现场照片): a grid worker's report or completion carries them. Uploaded
 * before the case action that cites them (a tablet offline may send both later, in order), kept in
 * the data folder by id, checked on the server for size, type and real image content, with a
 * thumbnail for the tablet's lists.
 */
package cn.haizhu.grid.server.attachments;
