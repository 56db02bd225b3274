// Package keyrepo owns a Fernet key repository on disk, laid out as Keystone
// lays out its own: files named by integers, 0 the staged key, the highest
// number the primary key that encrypts, every key able to decrypt. It sets
// repositories up, rotates them and reloads them when another process
// (monostack token rotate) changes them.
package keyrepo
