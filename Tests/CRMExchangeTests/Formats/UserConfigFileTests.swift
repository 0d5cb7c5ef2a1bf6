import CRMCore
import CRMExchange
import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#endif

@Suite struct UserConfigFileTests {
  @Test func readsTheNotifyCommand() throws {
    let c = try UserConfig.parse(
      "# мой файл\nnotify_command = \"notify-send CRM \\\"$CRM_MESSAGE\\\"\"\n",
      fileName: "config.toml", language: .ru)
    #expect(c.notifyCommand == "notify-send CRM \"$CRM_MESSAGE\"")
    #expect(try UserConfig.parse("", fileName: "c", language: .en) == UserConfig())
  }

  @Test func malformedFilesNameTheLine() {
    let cases: [(String, Int?, String)] = [
      ("notify_command = \"x\"\nnotify_comand = \"y\"\n", 2, "unknown key «notify_comand»"),
      ("\n\nnotify_command = 5\n", 3, "must be a string"),
      ("notify_command = \"unterminated\n", 1, "TOML syntax"),
      ("[notify]\ncommand = \"x\"\n", 1, "unknown key «notify»"),
    ]
    for (text, line, message) in cases {
      do {
        _ = try UserConfig.parse(text, fileName: "config.toml", language: .en)
        Issue.record("accepted: \(text)")
      } catch {
        #expect(error.line == line, "\(text): \(error)")
        #expect(error.message.contains(message), "\(text): \(error)")
      }
    }
  }

  @Test func aFileOthersCouldWriteIsRefused() throws {
    let dir = NSTemporaryDirectory() + "cfg-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let file = dir + "/config.toml"
    try Data("notify_command = \"touch x\"\n".utf8).write(to: URL(fileURLWithPath: file))
    chmod(file, 0o600)
    #expect(try UserConfig.load(file, language: .en).notifyCommand == "touch x")
    chmod(file, 0o666)
    #expect(throws: FunnelConfigError.self) { try UserConfig.load(file, language: .en) }
    chmod(file, 0o600)
    let link = dir + "/link.toml"
    symlink(file, link)
    #expect(throws: FunnelConfigError.self) { try UserConfig.load(link, language: .en) }
    #expect(try UserConfig.load(dir + "/absent.toml", language: .en) == UserConfig())
    #expect(
      UserConfig.path(["XDG_CONFIG_HOME": "/x", "HOME": "/h"]) == "/x/termcrm/config.toml")
    #expect(UserConfig.path(["HOME": "/h"]) == "/h/.config/termcrm/config.toml")
  }
}
