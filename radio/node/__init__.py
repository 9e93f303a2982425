"""The loudspeaker node agent. Imports only the standard library, paho-mqtt, cryptography and radio.protocol."""
