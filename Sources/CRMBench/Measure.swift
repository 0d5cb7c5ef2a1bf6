import CRMCore
import Foundation
import GRDBSQLite

/// Order statistics of a set of timings, in milliseconds.
public struct Stats: Codable, Equatable, Sendable {
  public var count: Int
  public var median: Double
  public var p95: Double
  public var p99: Double
  public var max: Double

  /// Nearest-rank percentiles over the samples.
  public init(_ samples: [Double]) {
    let sorted = samples.sorted()
    count = sorted.count
    func rank(_ p: Double) -> Double {
      guard !sorted.isEmpty else { return 0 }
      let i = Int((p * Double(sorted.count)).rounded(.up)) - 1
      return sorted[Swift.max(0, Swift.min(sorted.count - 1, i))]
    }
    median = rank(0.5)
    p95 = rank(0.95)
    p99 = rank(0.99)
    max = sorted.last ?? 0
  }
}

/// Milliseconds taken by `body`, on the monotonic clock.
@inline(__always)
func time(_ body: () throws -> Void) rethrows -> Double {
  let start = DispatchTime.now().uptimeNanoseconds
  try body()
  return Double(DispatchTime.now().uptimeNanoseconds - start) / 1_000_000
}

/// The timings of `warmup + runs` rounds, the warm-up rounds dropped: `round` gets the round's
/// index and times our side and its bound (in that order, as each case did inline).
func sampled(
  warmup: Int, runs: Int, _ round: (Int) throws -> (ours: Double, bound: Double)
) rethrows -> (ours: [Double], bound: [Double]) {
  var ours: [Double] = []
  var bound: [Double] = []
  for i in 0..<(warmup + runs) {
    let (t, b) = try round(i)
    if i >= warmup {
      ours.append(t)
      bound.append(b)
    }
  }
  return (ours, bound)
}

/// The floor: the same SQL through the bare SQLite C API, none of our layers (no GRDB, no
/// models, no rendering). Every column of every row is read, as a screen would.
final class RawSQLite {
  private var db: OpaquePointer?
  /// Bytes read, kept so the reads cannot be optimised away.
  private(set) var checksum = 0

  init(path: String) throws {
    guard sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, nil) == SQLITE_OK else {
      throw CRMError.unreadable(path: path, reason: "sqlite3_open_v2 failed")
    }
  }

  deinit { sqlite3_close_v2(db) }

  /// Runs one statement to completion; returns the number of rows.
  @discardableResult
  func run(_ statement: SQLStatement) throws -> Int {
    var stmt: OpaquePointer?
    guard sqlite3_prepare_v2(db, statement.sql, -1, &stmt, nil) == SQLITE_OK else {
      throw CRMError.other(
        "bench SQL failed to prepare: \(String(cString: sqlite3_errmsg(db)))\n\(statement.sql)")
    }
    defer { sqlite3_finalize(stmt) }
    let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
    for (i, value) in statement.arguments.enumerated() {
      switch value {
      case .integer(let n): sqlite3_bind_int64(stmt, Int32(i + 1), n)
      case .real(let d): sqlite3_bind_double(stmt, Int32(i + 1), d)
      case .text(let t): sqlite3_bind_text(stmt, Int32(i + 1), t, -1, transient)
      }
    }
    var rows = 0
    var bytes = 0
    while sqlite3_step(stmt) == SQLITE_ROW {
      rows += 1
      for c in 0..<sqlite3_column_count(stmt) {
        if sqlite3_column_type(stmt, c) == SQLITE_TEXT {
          _ = sqlite3_column_text(stmt, c)
          bytes += Int(sqlite3_column_bytes(stmt, c))
        } else {
          bytes += Int(sqlite3_column_int64(stmt, c) & 1)
        }
      }
    }
    checksum &+= bytes
    return rows
  }
}

/// Peak resident memory of this process in kilobytes (VmHWM), or nil off Linux.
func peakResidentKB() -> Int? {
  guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else {
    return nil
  }
  for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
    return Int(line.split(whereSeparator: { $0 == " " || $0 == "\t" })[1])
  }
  return nil
}

/// Runs a program and waits; returns milliseconds from spawn to exit and the exit status.
func spawnAndWait(_ program: String, _ args: [String], output: String = "/dev/null") -> (
  ms: Double, status: Int32
) {
  var actions = posix_spawn_file_actions_t()
  posix_spawn_file_actions_init(&actions)
  defer { posix_spawn_file_actions_destroy(&actions) }
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
  posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
  posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
  let argv = ([program] + args).map { strdup($0) } + [nil]
  defer { for p in argv { free(p) } }
  var pid: pid_t = 0
  var status: Int32 = 0
  let ms = time {
    guard posix_spawn(&pid, program, &actions, nil, argv, environ) == 0 else {
      status = -1
      return
    }
    while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
  }
  return (ms, status == -1 ? -1 : (status >> 8) & 0xFF)
}
