import CRMCore
import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// Runs the user's mail command (`mail_command`, default `sendmail -t -i`) without a shell: the
/// text is split into words as a shell would (quotes and backslashes; no variables, globs or
/// pipes), the program is found on `PATH` (then `/usr/sbin`, `/usr/lib`, where sendmail lives),
/// the message goes to its standard input, and what it prints is kept for the error message.
public enum SendMailCommand {
  /// Words of a command line: `'…'` literal, `"…"` with `\"` and `\\`, `\x` outside quotes.
  public static func split(_ text: String, language l: Language) throws(CRMError) -> [String] {
    var words: [String] = []
    var current = ""
    var inWord = false
    var quote: Character?
    var escape = false
    for ch in text {
      if escape {
        current.append(ch)
        escape = false
        continue
      }
      if let q = quote {
        if ch == q {
          quote = nil
        } else if ch == "\\" && q == "\"" {
          escape = true
        } else {
          current.append(ch)
        }
        continue
      }
      switch ch {
      case "\\":
        escape = true
        inWord = true
      case "'", "\"":
        quote = ch
        inWord = true
      case " ", "\t", "\n":
        if inWord {
          words.append(current)
          current = ""
          inWord = false
        }
      default:
        current.append(ch)
        inWord = true
      }
    }
    if quote != nil || escape {
      throw .invalid(
        field: "mail_command",
        problem: l.pick(
          "has an unclosed quote or a trailing \\", "незакрытая кавычка или \\ в конце"))
    }
    if inWord { words.append(current) }
    if words.isEmpty {
      throw .invalid(field: "mail_command", problem: l.pick("is empty", "пустая"))
    }
    return words
  }

  /// The program's path: as given when it has a `/`, else the first executable of that name
  /// on `PATH`, `/usr/sbin` or `/usr/lib`.
  public static func resolve(_ program: String, path: String?) -> String? {
    if program.contains("/") { return access(program, X_OK) == 0 ? program : nil }
    let dirs =
      (path ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":").map(String.init)
      + ["/usr/sbin", "/usr/lib", "/sbin"]
    for d in dirs where !d.isEmpty {
      let candidate = d + "/" + program
      var st = stat()
      if stat(candidate, &st) == 0, st.st_mode & S_IFMT == S_IFREG, access(candidate, X_OK) == 0 {
        return candidate
      }
    }
    return nil
  }

  /// What a run ended with.
  public struct Outcome: Equatable, Sendable {
    public var status: Int32
    /// Standard output and error together, trimmed.
    public var output: String
    public var succeeded: Bool { status == 0 }
  }

  /// Runs `command` with `input` on its standard input; throws when it cannot be started.
  public static func run(
    _ command: String, input: Data, environment: [String: String], language l: Language
  ) throws(CRMError) -> Outcome {
    let argv = try split(command, language: l)
    guard let path = resolve(argv[0], path: environment["PATH"]) else {
      throw .other(
        l.pick(
          "mail command «\(argv[0])» not found (mail_command in \(UserConfig.path(environment)))",
          "программа отправки почты «\(argv[0])» не найдена (mail_command в \(UserConfig.path(environment)))"
        ))
    }
    // A command that exits without reading its input must not kill us with SIGPIPE.
    signal(SIGPIPE, SIG_IGN)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: path)
    process.arguments = Array(argv.dropFirst())
    process.environment = environment
    let stdin = Pipe()
    let output = Pipe()
    process.standardInput = stdin
    process.standardOutput = output
    process.standardError = output
    do {
      try process.run()
    } catch {
      throw .other(
        l.pick("cannot start \(path): \(error)", "не удалось запустить \(path): \(error)"))
    }
    let writer = stdin.fileHandleForWriting
    let thread = Thread {
      try? writer.write(contentsOf: input)
      try? writer.close()
    }
    thread.start()
    let printed = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    let text = String(decoding: printed, as: UTF8.self).trimmingCharacters(
      in: .whitespacesAndNewlines)
    let status =
      process.terminationReason == .uncaughtSignal
      ? 128 + process.terminationStatus : process.terminationStatus
    return Outcome(status: status, output: text)
  }
}
