import { generateKeypair } from "@zmqc/broker";

/**
 * `zmqc keygen`: a CURVE key pair in Z85 (40 characters each), like Zeek's `generate_keypair()`, printed as the
 * configuration keys and the environment variables Zeek reads.
 */
export function keygenCommand(format: "yaml" | "env" | "json"): string {
  const { public: publicKey, secret: secretKey } = generateKeypair();
  switch (format) {
    case "json":
      return `${JSON.stringify({ public: publicKey, secret: secretKey })}\n`;
    case "env":
      return `public=${publicKey}\nsecret=${secretKey}\n`;
    case "yaml":
      return `# a CURVE key pair (Z85); keep the secret one secret\npublic: "${publicKey}"\nsecret: "${secretKey}"\n`;
  }
}
