import { describe, expect, it } from "vitest";
import { asnResolvable } from "../../../collector/identity/asn";

describe("asnResolvable", () => {
  it("refuses access ISPs and mobile carriers, as request.cf names them", () => {
    for (const org of [
      "Comcast Cable Communications, LLC",
      "Charter Communications Inc",
      "AT&T Services, Inc.",
      "ATT-INTERNET4",
      "Cellco Partnership DBA Verizon Wireless",
      "T-Mobile USA, Inc.",
      "Vodafone GmbH",
      "Deutsche Telekom AG",
      "Orange S.A.",
      "British Telecommunications PLC",
      "Telefónica de España S.A.U.",
      "Reliance Jio Infocomm Limited",
      "Bharti Airtel Ltd.",
      "Spectrum",
      "Sky UK Limited",
      "Free SAS",
      "Rogers Communications Canada Inc.",
      "SPACEX-STARLINK",
      "Some Regional Broadband Co-op",
    ]) {
      expect(asnResolvable(org), org).toBe(false);
    }
  });

  it("refuses clouds, hosting, CDNs and security proxies, whose visitors are not their staff", () => {
    for (const org of [
      "AMAZON-02",
      "Google LLC",
      "MICROSOFT-CORP-MSN-AS-BLOCK",
      "DIGITALOCEAN-ASN",
      "Cloudflare, Inc.",
      "OVH SAS",
      "Hetzner Online GmbH",
      "Akamai Technologies, Inc.",
      "ORACLE-BMC-31898",
      "Zscaler, Inc.",
      "Palo Alto Networks, Inc",
      "Hangzhou Alibaba Advertising Co.,Ltd.",
      "Acme Hosting Ltd",
      "Example Datacenter LLC",
    ]) {
      expect(asnResolvable(org), org).toBe(false);
    }
  });

  it("accepts a company's own AS", () => {
    for (const org of ["ACME-CORP", "Salesforce.com, Inc.", "Apple Inc.", "Goldman Sachs & Co. LLC", "Siemens AG", "Massachusetts Institute of Technology", "Skyworks Solutions"]) {
      expect(asnResolvable(org), org).toBe(true);
    }
  });

  it("trusts an ASN the account lists when the organisation is unknown", () => {
    expect(asnResolvable(null)).toBe(true);
    expect(asnResolvable("  ")).toBe(true);
  });
});
