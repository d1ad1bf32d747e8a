import { createReadStream, createWriteStream } from "node:fs";
import { mkdir, readdir, rename, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import { pipeline } from "node:stream/promises";
import { AppError, invalid, notFound } from "../domain/errors.ts";
import { countingStream } from "./byte-counter.ts";
import { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from "./data-dir-permissions.ts";

const SAFE_ID = /^[A-Za-z0-9_-]{1,128}$/;

/**
 * Delivered files as plain files in one directory (the embedded store's blob area): written to a
 * `.part` file and renamed, so a crash never leaves a file that looks complete.
 */
export class FileDir {
  readonly dir: string;
  constructor(dir: string) {
    this.dir = dir;
  }

  /** Creates the directory; part files a crashed upload left (a delivery never recorded) are deleted. */
  async init(): Promise<void> {
    await mkdir(this.dir, { recursive: true, mode: PRIVATE_DIR_MODE });
    for (const name of await readdir(this.dir))
      if (name.endsWith(".part")) await rm(join(this.dir, name), { force: true });
  }

  private path(id: string): string {
    // Ids become file names: anything but a plain token could escape the directory.
    if (!SAFE_ID.test(id)) throw invalid(`file id ${JSON.stringify(id)} is not a plain token`);
    return join(this.dir, id);
  }

  /** Writes the chunks to the file named `id`; returns the byte count. */
  async put(id: string, chunks: AsyncIterable<Uint8Array>): Promise<number> {
    const target = this.path(id);
    const part = `${target}.part`;
    const counted = countingStream(chunks);
    try {
      // Delivered files hold personal data: the service's user alone reads them, whatever the umask.
      await pipeline(counted.stream, createWriteStream(part, { mode: PRIVATE_FILE_MODE }));
      await rename(part, target);
      return counted.bytes();
    } catch (err) {
      await rm(part, { force: true });
      throw err;
    }
  }

  /** Streams the file back; NOT_FOUND when absent. */
  async *read(id: string): AsyncIterable<Uint8Array> {
    const path = this.path(id);
    try {
      await stat(path);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") throw notFound(`file ${id}`);
      throw new AppError("INTERNAL", `cannot read file ${id}`, { cause: err });
    }
    yield* createReadStream(path, { highWaterMark: 1 << 20 }) as AsyncIterable<Uint8Array>;
  }

  async delete(id: string): Promise<void> {
    const path = this.path(id);
    await rm(path, { force: true });
    await rm(`${path}.part`, { force: true });
  }
}
