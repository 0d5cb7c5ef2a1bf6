import Foundation
import FuzzChecks

// One libFuzzer binary for every parser: FUZZ_TARGET names it (see FuzzTarget). A property
// that fails prints what and aborts, so libFuzzer saves the input like any crash.
// FUZZ_EXPORT=DIR writes the target's seeds, dictionary and max_len to DIR and exits.

func say(_ text: String) { FileHandle.standardError.write(Data(text.utf8)) }

nonisolated(unsafe) var target = FuzzTarget.csv
nonisolated(unsafe) var limit = 4096

@_cdecl("LLVMFuzzerInitialize")
public func initialize(
  _ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>
) -> CInt {
  let env = ProcessInfo.processInfo.environment
  let name = env["FUZZ_TARGET"] ?? ""
  guard let t = FuzzTarget(rawValue: name) else {
    let known = FuzzTarget.allCases.map(\.rawValue).joined(separator: " ")
    say("FUZZ_TARGET must be one of: \(known) (got «\(name)»)\n")
    exit(2)
  }
  target = t
  limit = FuzzChecks.maxLength(t)
  if let folder = env["FUZZ_EXPORT"] {
    let root = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
    do {
      try FuzzChecks.export(t, root: root, to: URL(fileURLWithPath: folder))
      exit(0)
    } catch {
      say("cannot export the seeds of \(name): \(error)\n")
      exit(2)
    }
  }
  return 0
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ bytes: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  guard size <= limit else { return 0 }
  let data = Data(bytes: bytes, count: size)
  do {
    try FuzzChecks.check(target, data)
  } catch {
    say("PROPERTY VIOLATED: \(error)\n")
    abort()
  }
  return 0
}

// SwiftPM links an executable target with `main` defined as `FuzzCRM_main`; with
// `-parse-as-library` there is no such function, so it is this one, which hands over to
// libFuzzer's driver (what libFuzzer's own `main` does).
@_silgen_name("LLVMFuzzerRunDriver")
func runDriver(
  _ argc: UnsafeMutablePointer<CInt>,
  _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
  _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

@_cdecl("FuzzCRM_main")
public func fuzzMain(
  _ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
) -> CInt {
  var count = argc
  var vector = argv
  return runDriver(&count, &vector) { bytes, size in
    guard let bytes else { return 0 }
    return fuzz(bytes, size)
  }
}
