import { pipeline } from "node:stream/promises";
import { type Db, GridFSBucket, type GridFSBucketReadStream, type ObjectId } from "mongodb";
import { notFound } from "../domain/errors.ts";
import { countingStream } from "./byte-counter.ts";

/**
 * Delivered files in GridFS (bucket `files`), keyed by the delivery id as the file `_id`.
 * Works on MongoDB and FerretDB 1.24: GridFS is plain collections plus a (files_id, n) index.
 */
export class MongoFiles {
  private readonly bucket: GridFSBucket;
  private readonly db: Db;
  constructor(db: Db) {
    this.db = db;
    this.bucket = new GridFSBucket(db, { bucketName: "files", chunkSizeBytes: 1 << 20 });
  }

  /** The index GridFS reads by; the driver creates it lazily, we create it up front. */
  async init(): Promise<void> {
    await this.db.collection("files.chunks").createIndex({ files_id: 1, n: 1 }, { unique: true });
  }

  /** Writes the chunks as file `id`; a failed upload leaves no half file behind. */
  async put(id: string, chunks: AsyncIterable<Uint8Array>): Promise<number> {
    await this.delete(id); // a re-run of the same delivery replaces its file
    const counted = countingStream(chunks);
    try {
      await pipeline(counted.stream, this.bucket.openUploadStreamWithId(id as unknown as ObjectId, id));
      return counted.bytes();
    } catch (err) {
      await this.delete(id);
      throw err;
    }
  }

  async *read(id: string): AsyncIterable<Uint8Array> {
    const exists = await this.bucket.find({ _id: id as unknown as ObjectId }, { limit: 1 }).hasNext();
    if (!exists) throw notFound(`file ${id}`);
    const stream: GridFSBucketReadStream = this.bucket.openDownloadStream(id as unknown as ObjectId);
    yield* stream as AsyncIterable<Uint8Array>;
  }

  async delete(id: string): Promise<void> {
    // Not bucket.delete: it throws when the files document is missing, and a failed upload leaves
    // chunks without one.
    await this.db.collection("files.chunks").deleteMany({ files_id: id });
    await this.db.collection<{ _id: string }>("files.files").deleteOne({ _id: id });
  }
}
