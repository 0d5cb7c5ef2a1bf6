import CRMCore
import Foundation

extension ImportFileError {
  /// The whole file (line 0) could not be read.
  static func unreadable(_ url: URL, _ error: Error) -> ImportFileError {
    ImportFileError(
      line: 0, en: "cannot read \(url.path): \(error.localizedDescription)",
      ru: "не удаётся прочитать \(url.path): \(error.localizedDescription)")
  }
}

/// Opens `url` for an import reader, or throws `ImportFileError.unreadable`.
func openForImport(_ url: URL) throws -> FileHandle {
  do {
    return try FileHandle(forReadingFrom: url)
  } catch {
    throw ImportFileError.unreadable(url, error)
  }
}

/// The bytes a streaming import reader takes in: their total (for progress) and the next chunk,
/// empty at the end.
struct ImportChunks {
  let total: Int64
  let read: () throws -> Data

  /// A file in chunks of `ClientCSVReader.chunkSize`, closed once the end is read.
  static func file(_ url: URL) throws -> ImportChunks {
    let handle = try openForImport(url)
    let size = ((try? FileManager.default.attributesOfItem(atPath: url.path))?[.size] as? Int) ?? 0
    return ImportChunks(
      total: Int64(size),
      read: {
        let d = try handle.read(upToCount: ClientCSVReader.chunkSize) ?? Data()
        if d.isEmpty { try? handle.close() }
        return d
      })
  }

  /// Bytes held in memory (tests), in chunks like a file.
  static func memory(_ data: Data, chunkSize: Int) -> ImportChunks {
    var offset = 0
    return ImportChunks(
      total: Int64(data.count),
      read: {
        let end = min(data.count, offset + chunkSize)
        defer { offset = end }
        return data.subdata(in: offset..<end)
      })
  }
}
