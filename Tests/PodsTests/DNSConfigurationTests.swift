import Pods
import XCTest

final class DNSConfigurationTests: XCTestCase {
    func testFlagsBecomeResolvConfAndHostsLines() throws {
        let dns = try DNSConfiguration(dns: ["192.0.2.1", "2001:db8::1"], search: ["example.com", "corp"], options: ["ndots:2"],
                                       domain: "example.com", hostsEntries: ["192.0.2.7=db,db.local"])
        XCTAssertEqual(dns.resolvConf { nil },
                       "nameserver 192.0.2.1\nnameserver 2001:db8::1\ndomain example.com\nsearch example.com corp\noptions ndots:2\n")
        XCTAssertEqual(dns.hosts { nil }, "192.0.2.7\tdb db.local\n")
        XCTAssertNil(try DNSConfiguration(dns: [], search: [], options: [], domain: nil, hostsEntries: []).resolvConf { "x" })
    }

    func testHostAndNone() throws {
        let host = try DNSConfiguration(dns: ["host"], search: [], options: [], domain: nil, hostsEntries: ["host"])
        XCTAssertEqual(host.resolvConf { "nameserver 10.0.0.1\n" }, "nameserver 10.0.0.1\n")
        XCTAssertEqual(host.hosts { "127.0.0.1 localhost\n" }, "127.0.0.1 localhost\n")
        XCTAssertEqual(try DNSConfiguration(dns: ["none"], search: [], options: [], domain: nil, hostsEntries: []).resolvConf { "x" }, "")
    }

    func testHostileValuesAreRefused() {
        XCTAssertThrowsError(try DNSConfiguration(dns: ["8.8.8.8\nnameserver 6.6.6.6"], search: [], options: [], domain: nil, hostsEntries: []))
        XCTAssertThrowsError(try DNSConfiguration(dns: ["host", "8.8.8.8"], search: [], options: [], domain: nil, hostsEntries: []))
        XCTAssertThrowsError(try DNSConfiguration(dns: [], search: ["a b"], options: [], domain: nil, hostsEntries: []))
        XCTAssertThrowsError(try DNSConfiguration(dns: [], search: [], options: ["x\ny"], domain: nil, hostsEntries: []))
        XCTAssertThrowsError(try DNSConfiguration(dns: [], search: [], options: [], domain: nil, hostsEntries: ["db"])) {
            XCTAssertTrue("\($0)".contains("--hosts-entry"), "\($0)")
        }
        XCTAssertThrowsError(try DNSConfiguration(dns: [], search: [], options: [], domain: nil, hostsEntries: ["1.2.3.4=a b"]))
        XCTAssertThrowsError(try DNSConfiguration(dns: [], search: [], options: [], domain: nil, hostsEntries: ["999.1.1.1=a"]))
    }
}
